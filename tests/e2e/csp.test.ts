/**
 * The page's Content-Security-Policy (vite.config.ts): the preview server sends it and the built
 * page carries it as a meta tag; every browser test runs under it, and a violation anywhere is a
 * page error (tests/e2e/page.ts listens for `securitypolicyviolation`) — shown here by making one.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, inject } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../vite.config.ts';
import { closePage, openPage, problemsOf, status, withPage, useBrowser } from './page.ts';

const browser = useBrowser();

describe('Content-Security-Policy', () => {
  it('is sent by the preview server and carried by the built page, and forbids inline script and eval', async () => {
    const response = await fetch(inject('baseUrl'));
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const html = await response.text();
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`);
    expect(readFileSync(resolve(import.meta.dirname, '../../index.html'), 'utf8')).toContain(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self' 'wasm-unsafe-eval';/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
  });

  it('the lab, its engine worker, recording, replay and exports run without a violation', async () => {
    await withPage(browser(), '?scene=izhikevich/B', async (page) => {
      await page.evaluate('window.spikescope.startRecording({ traces: true })');
      await page.waitForTimeout(500);
      await page.evaluate('window.spikescope.pulse({ amplitude: 30, durationMs: 2 })');
      await page.waitForTimeout(300);
      const recording = await page.evaluate('window.spikescope.stopRecording()');
      expect(recording).not.toBeNull();
      const verdict = await page.evaluate(`window.spikescope.loadRecording(${JSON.stringify(JSON.stringify(recording))})`);
      expect(verdict).toMatchObject({ identical: true });
      for (const what of ['traces', 'spikes', 'png', 'recording']) expect(await page.evaluate(`window.spikescope.exportData(${JSON.stringify(what)})`)).not.toBeNull();
      expect((await status(page)).renderer).toBe('webgl');
      expect(problemsOf(page)).toEqual([]);
    });
  });

  it('a violation is reported as a page error: an inline script, an inline style and eval are blocked and reported', async () => {
    const page = await openPage(browser(), '?scene=lif');
    try {
      expect(problemsOf(page)).toEqual([]);
      const outcome = await page.evaluate(() => {
        const script = document.createElement('script');
        script.textContent = 'window.__inlineRan = true';
        document.head.append(script);
        const style = document.createElement('style');
        style.textContent = 'body { outline: 1px solid red }';
        document.head.append(style);
        // Eval from the page's own code (a timer's callback, outside Playwright's evaluation, which DevTools exempts).
        const evaluated = new Promise<string>((done) =>
          setTimeout(() => {
            try {
              done(String(eval('1 + 1')));
            } catch (error) {
              done((error as Error).name);
            }
          }, 0),
        );
        return evaluated.then((result) => ({ inlineRan: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true, evaluated: result }));
      });
      expect(outcome).toEqual({ inlineRan: false, evaluated: 'EvalError' });
      await page.waitForTimeout(300);
      const problems = problemsOf(page).filter((p) => p.startsWith('CSP violation'));
      expect(problems.some((p) => /^CSP violation: script-src-elem blocked inline/.test(p))).toBe(true);
      expect(problems.some((p) => /^CSP violation: style-src-elem blocked inline/.test(p))).toBe(true);
      expect(problems.some((p) => /^CSP violation: script-src blocked eval/.test(p))).toBe(true);
      // closePage fails a test on them.
      await expect(closePage(page)).rejects.toThrow(/page errors: .*CSP violation/);
    } finally {
      if (!page.isClosed()) await page.close();
    }
  });
});
