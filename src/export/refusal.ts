/** A scene or recording the exporter cannot express faithfully: the message names what and why. */
export class ExportRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportRefusal';
  }
}
