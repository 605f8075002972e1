/**
 * Reusable text labels. A view draws its labels between `begin()` and `end()`; Text objects are
 * kept and only re-rendered when their string changes, so static axes cost nothing per frame.
 */
import { Container, Text } from 'pixi.js';
import { theme } from './theme.ts';

export class LabelPool {
  readonly container = new Container();
  private readonly labels: Text[] = [];
  private used = 0;

  constructor(private readonly fontSize = 11) {
    this.container.eventMode = 'none';
  }

  begin(): void {
    this.used = 0;
  }

  /** A label at (x, y); anchor (0..1, 0..1) says which point of the text sits there. */
  add(text: string, x: number, y: number, color: number = theme.label, anchorX = 0, anchorY = 0, bold = false): Text {
    let label = this.labels[this.used];
    if (!label) {
      label = new Text({ text, style: { fontFamily: theme.fontFamily, fontSize: this.fontSize, fill: color } });
      this.labels.push(label);
      this.container.addChild(label);
    }
    this.used++;
    label.text = text;
    if (label.style.fill !== color) label.style.fill = color;
    const weight = bold ? 'bold' : 'normal';
    if (label.style.fontWeight !== weight) label.style.fontWeight = weight;
    label.anchor.set(anchorX, anchorY);
    label.position.set(Math.round(x), Math.round(y));
    label.visible = true;
    return label;
  }

  /** Like `add`, shortened with an ellipsis to fit in `maxWidth` px. */
  addFitted(text: string, maxWidth: number, x: number, y: number, color: number = theme.label, bold = false): Text {
    const label = this.add(text, x, y, color, 0, 0, bold);
    let shown = text;
    while (label.width > maxWidth && shown.length > 1) {
      shown = shown.slice(0, -1);
      label.text = `${shown.trimEnd()}…`;
    }
    return label;
  }

  end(): void {
    for (let i = this.used; i < this.labels.length; i++) this.labels[i]!.visible = false;
  }
}
