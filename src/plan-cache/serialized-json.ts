/**
 * A JSON answer serialized once, when it is cached, and sent as the same bytes on every hit.
 */
export class SerializedJson {
  private constructor(readonly body: Buffer) {}

  static of(value: unknown): SerializedJson {
    return new SerializedJson(Buffer.from(JSON.stringify(value), 'utf8'));
  }
}
