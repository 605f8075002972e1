/**
 * One number field of the panel, generated from its schema entry (ParamSpec): the human label
 * with the symbol and unit, the one-line explanation under it, a slider over the *typical*
 * range (log scale where the spec says so, stepping at the spec's precision: no float noise)
 * and a text field that takes any value (checked when it is committed).
 *
 * A typed value is committed on Enter or when the field loses focus; Enter and Escape (which
 * puts the shown value back) also leave the field, so that the keyboard shortcuts work again.
 * Nothing is clamped or guessed here: the text goes to `commit` as a number when it is a plain
 * decimal, else as the text itself, and the app checks it against the schema like any input
 * (a bad value shows the banner with the allowed range and is not applied). The field then
 * shows the value in force again.
 */
import type GUI from 'lil-gui';
import { formatValue, parseTyped, rangeText, roundToPrecision, type ParamSpec } from '../core/schema.ts';

// (Here, not in core: the slider's log scale uses Math.log and Math.exp, which the engine's code may not.)
/** Position 0 … 1 of a value on the spec's slider (clamped to the typical range). */
export function sliderPosition(spec: ParamSpec, value: number): number {
  const [lo, hi] = spec.typical ?? [spec.min, spec.max];
  const x = spec.log ? (Math.log(value) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : (value - lo) / (hi - lo);
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : value > lo ? 1 : 0;
}

/** The value at position 0 … 1 of the spec's slider, rounded to its precision. */
export function sliderValue(spec: ParamSpec, position: number): number {
  const [lo, hi] = spec.typical ?? [spec.min, spec.max];
  const p = Math.min(1, Math.max(0, position));
  const raw = spec.log ? Math.exp(Math.log(lo) + p * (Math.log(hi) - Math.log(lo))) : lo + p * (hi - lo);
  return Math.min(spec.max, Math.max(spec.min, roundToPrecision(spec, raw)));
}

/** Slider positions: fine enough for a 200 px slider. */
const SLIDER_STEPS = 1000;

export class ParamField {
  readonly element: HTMLDivElement;
  private readonly text: HTMLInputElement;
  private readonly slider: HTMLInputElement | undefined;
  private value: number;

  constructor(
    parent: GUI,
    readonly spec: ParamSpec,
    value: number,
    private readonly commit: (value: number | string) => void,
    options: { explain?: boolean; slider?: boolean } = {},
  ) {
    this.value = value;
    const row = document.createElement('div');
    row.className = 'lil-controller param-field';
    row.title = `${spec.name}: ${spec.doc} — allowed: ${rangeText(spec)}${spec.typical ? `; slider: ${formatValue(spec.typical[0])} … ${formatValue(spec.typical[1])}${spec.log ? ' (log scale)' : ''}` : ''}`;
    const name = row.appendChild(document.createElement('div'));
    name.className = 'lil-name';
    const explain = options.explain !== false;
    // With the explanation, the symbol and unit open its line; without, the unit follows the label.
    name.textContent = spec.label ?? spec.name;
    if (!explain && spec.unit) name.appendChild(Object.assign(document.createElement('span'), { className: 'param-unit', textContent: ` (${spec.unit})` }));
    const widget = row.appendChild(document.createElement('div'));
    widget.className = 'lil-widget param-widget';
    if (options.slider !== false && spec.typical) {
      const slider = widget.appendChild(document.createElement('input'));
      slider.type = 'range';
      slider.className = 'param-slider';
      slider.min = '0';
      slider.max = String(SLIDER_STEPS);
      slider.step = '1';
      slider.tabIndex = -1;
      slider.setAttribute('aria-label', `${spec.label ?? spec.name} slider`);
      slider.addEventListener('input', () => {
        const next = sliderValue(spec, Number(slider.value) / SLIDER_STEPS);
        this.showText(next);
        this.commit(next);
      });
      // A slider keeps no focus: the shortcuts work right after a drag.
      slider.addEventListener('change', () => slider.blur());
      this.slider = slider;
    }
    const text = widget.appendChild(document.createElement('input'));
    text.type = 'text';
    text.className = 'param-value';
    text.inputMode = 'decimal';
    text.spellcheck = false;
    text.setAttribute('aria-label', spec.label ?? spec.name);
    text.addEventListener('change', () => this.commit(parseTyped(text.value)));
    text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') text.blur(); // blur fires change when the text changed
      else if (e.key === 'Escape') {
        this.showText(this.value);
        text.blur();
      }
    });
    this.text = text;
    if (explain) {
      const doc = row.appendChild(document.createElement('div'));
      doc.className = 'param-doc';
      doc.appendChild(Object.assign(document.createElement('span'), { className: 'param-symbol', textContent: spec.name }));
      if (spec.unit) doc.appendChild(Object.assign(document.createElement('span'), { className: 'param-unit', textContent: ` ${spec.unit}` }));
      doc.append(` · ${spec.doc}`);
    }
    parent.$children.appendChild(row);
    this.element = row;
    this.set(value);
  }

  /** Shows the value in force (not while the user is typing in the field). */
  set(value: number): void {
    this.value = value;
    if (document.activeElement !== this.text) this.showText(value);
    if (this.slider) this.slider.value = String(Math.round(sliderPosition(this.spec, value) * SLIDER_STEPS));
  }

  show(visible: boolean): void {
    this.element.hidden = !visible;
  }

  private showText(value: number): void {
    const shown = formatValue(value);
    if (this.text.value !== shown) this.text.value = shown;
  }
}
