/**
 * Keyboard shortcuts: Space play/pause, hold I to inject, P pulse, . single step, R record,
 * ? the shortcuts overlay, Escape closes it. Keys typed into a field of the panel are left alone.
 */
import type { Intent } from './intents.ts';

export const SHORTCUTS: readonly [string, string][] = [
  ['Space', 'play / pause'],
  ['I (hold)', 'inject current into the target neuron while held'],
  ['P', 'one current pulse into the target neuron'],
  ['.', 'single step'],
  ['R', 'start / stop recording (in a replay: take over and record)'],
  ['drop a file on the page', 'replay a recording (.json.gz / .json)'],
  ['click a raster row', 'pick the target neuron'],
  ['wheel / drag on the raster', 'zoom / pan the neuron axis'],
  ['?', 'show or hide this list'],
  ['Esc', 'close this list'],
];

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && target.type !== 'checkbox' && target.type !== 'button' && target.type !== 'range';
}

/** Listens on `target`; returns a function that stops listening. */
export function bindKeyboard(target: Window, emit: (intent: Intent) => void): () => void {
  let injecting = false;
  const stopInjecting = (): void => {
    if (!injecting) return;
    injecting = false;
    emit({ kind: 'release' });
  };
  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'Escape') {
      emit({ kind: 'shortcuts', show: false });
      return;
    }
    if (isTyping(e.target)) return;
    switch (e.key) {
      case ' ':
        e.preventDefault();
        if (!e.repeat) emit({ kind: 'toggle-play' });
        break;
      case 'i':
      case 'I':
        e.preventDefault();
        if (!e.repeat && !injecting) {
          injecting = true;
          emit({ kind: 'hold' });
        }
        break;
      case 'p':
      case 'P':
        e.preventDefault();
        if (!e.repeat) emit({ kind: 'pulse' });
        break;
      case '.':
        e.preventDefault();
        emit({ kind: 'step', steps: 1 });
        break;
      case 'r':
      case 'R':
        e.preventDefault();
        if (!e.repeat) emit({ kind: 'record' });
        break;
      case '?':
        e.preventDefault();
        emit({ kind: 'shortcuts' });
        break;
    }
  };
  const onKeyUp = (e: KeyboardEvent): void => {
    if (e.key === 'i' || e.key === 'I') stopInjecting();
    // A focused button would otherwise take Space as a click.
    if (e.key === ' ' && !isTyping(e.target)) e.preventDefault();
  };
  target.addEventListener('keydown', onKeyDown, true);
  target.addEventListener('keyup', onKeyUp, true);
  target.addEventListener('blur', stopInjecting);
  return () => {
    target.removeEventListener('keydown', onKeyDown, true);
    target.removeEventListener('keyup', onKeyUp, true);
    target.removeEventListener('blur', stopInjecting);
  };
}
