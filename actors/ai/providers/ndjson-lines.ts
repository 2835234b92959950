/**
 * Checks an NDJSON body line by line before a client sees it. The Ollama client skips a line that
 * does not parse (with a console warning) and carries on, which would turn a damaged stream into a
 * silently shortened answer; passing on only whole lines that parse, and failing on the first
 * that does not, makes it a MALFORMED_STREAM instead.
 */
class MalformedLine extends Error {
  override readonly name = 'MalformedLine';
}

export class NdjsonLines {
  static readonly Malformed = MalformedLine;

  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  readonly #encoder = new TextEncoder();
  #pending = '';
  #line = 0;

  /**
   * The whole lines completed by `bytes` that parse, re-encoded with their newlines, and the
   * failure of the first line that does not (the lines before it still count: they were sent).
   */
  push(bytes: Uint8Array): { lines: Uint8Array; malformed?: MalformedLine } {
    let text: string;
    try {
      text = this.#pending + this.#decode(bytes, true);
    } catch (error) {
      return { lines: new Uint8Array(0), malformed: error as MalformedLine };
    }
    const end = text.lastIndexOf('\n');
    if (end === -1) {
      this.#pending = text;
      return { lines: new Uint8Array(0) };
    }
    this.#pending = text.slice(end + 1);
    const good: string[] = [];
    for (const line of text.slice(0, end).split('\n')) {
      try {
        this.#check(line);
      } catch (error) {
        return { lines: this.#encode(good), malformed: error as MalformedLine };
      }
      good.push(line);
    }
    return { lines: this.#encode(good) };
  }

  /** The last line when the body ends without a newline. */
  end(): Uint8Array {
    const rest = this.#pending + this.#decode(new Uint8Array(0), false);
    this.#pending = '';
    if (rest.trim() === '') return new Uint8Array(0);
    this.#check(rest);
    return this.#encoder.encode(`${rest}\n`);
  }

  #encode(lines: readonly string[]): Uint8Array {
    return lines.length ? this.#encoder.encode(`${lines.join('\n')}\n`) : new Uint8Array(0);
  }

  #decode(bytes: Uint8Array, stream: boolean): string {
    try {
      return this.#decoder.decode(bytes, { stream });
    } catch {
      throw new MalformedLine(`line ${this.#line + 1} is not UTF-8`);
    }
  }

  #check(line: string): void {
    this.#line += 1;
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new MalformedLine(`line ${this.#line} is not JSON`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedLine(`line ${this.#line} is not a JSON object`);
  }
}
