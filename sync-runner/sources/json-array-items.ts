import { Tokenizer, TokenizerError, TokenParser, TokenType, type ParsedTokenInfo } from '@streamparser/json';
import { BytePosition } from './byte-position.ts';

/** A JSON export that is not an array of objects; `byteOffset` is where the reader stopped (0-based). */
export class JsonExportError extends Error {
  // The parts are kept as well as the message so the error can cross a thread and be made again word for word.
  constructor(readonly problem: string, readonly byteOffset: number, readonly line: number | undefined) {
    super(`${problem} at byte ${byteOffset}${line === undefined ? '' : ` (line ${line})`}`);
  }
}

/** What a structural token is called in an error; strings and numbers are record content, so never shown. */
const TOKEN_NAMES: Record<TokenType, string> = {
  [TokenType.LEFT_BRACE]: '"{"', [TokenType.RIGHT_BRACE]: '"}"', [TokenType.LEFT_BRACKET]: '"["', [TokenType.RIGHT_BRACKET]: '"]"',
  [TokenType.COLON]: '":"', [TokenType.COMMA]: '","', [TokenType.TRUE]: 'true', [TokenType.FALSE]: 'false',
  [TokenType.NULL]: 'null', [TokenType.STRING]: 'a string', [TokenType.NUMBER]: 'a number', [TokenType.SEPARATOR]: 'a separator',
};

/** Told where each top-level item begins (its "{") and ends (one past its "}"), as byte offsets in the file. */
export interface ItemBoundaries {
  itemStart(offset: number): void;
  itemEnd(offset: number): void;
}

/** A UTF-8 byte-order mark: the tokenizer skips it without counting it in the offsets of its tokens. */
const BOM_FIRST_BYTE = 0xef;
const BOM_LENGTH = 3;

// Reads a JSON array of objects fed as byte chunks and hands back each element once it is complete, so a large
// export is held one record row at a time. @streamparser/json checks the grammar (`[{},,{}]`, `[{} {}]`, `[,{}]`,
// truncation); this class adds "the top level is an array of objects" and words each error with its position.
// The library's own messages quote the offending value, which is record content: they are never passed on.
// Given ItemBoundaries, it reports where each item lies instead of keeping its value (the bytes can then be parsed
// natively elsewhere); the TokenParser still runs, as it is what checks the grammar inside and between the items.
export class JsonArrayItems {
  private readonly tokenizer = new Tokenizer({ stringBufferSize: 64 * 1024 });
  private readonly parser = new TokenParser({ paths: ['$.*'], keepStack: false });
  private readonly position = new BytePosition();
  private items: unknown[] = [];
  /** Nesting depth after the last token: 1 is inside the top-level array. */
  private depth = 0;
  private last: ParsedTokenInfo | undefined;
  private closed = false;
  /** Added to the tokenizer's offsets so they count the byte-order mark, as its own error positions do. */
  private bomLength = 0;

  constructor(private readonly boundaries?: ItemBoundaries) {
    this.tokenizer.onToken = (token) => this.onToken(token);
    this.parser.onValue = boundaries === undefined ? ({ value }) => void this.items.push(value) : () => undefined;
    // Wired as the library's JSONParser does: a finished array ends the tokenizer, so text after "]" is an error.
    this.parser.onEnd = () => this.tokenizer.isEnded || this.tokenizer.end();
    this.tokenizer.onEnd = () => this.parser.isEnded || this.parser.end();
    this.parser.onError = (error) => this.tokenizer.error(error);
  }

  /** Adds a chunk and returns the array items it completed (each a plain object; none when given ItemBoundaries). */
  push(chunk: Uint8Array): unknown[] {
    // Only a file's first byte can open a mark; any other start of it is refused by the tokenizer before a token.
    if (this.position.total === 0 && chunk[0] === BOM_FIRST_BYTE) this.bomLength = BOM_LENGTH;
    this.position.advance(chunk);
    try {
      this.tokenizer.write(chunk);
    } catch (error) {
      throw this.explain(error);
    }
    const done = this.items;
    this.items = [];
    return done;
  }

  /** Throws when the file was empty or ended before its closing "]". */
  end(): void {
    try {
      // A number is only known to be whole when the input ends, so a top-level `5` is seen (and refused) here.
      if (!this.tokenizer.isEnded) this.tokenizer.end();
    } catch (error) {
      if (error instanceof JsonExportError) throw error;
      // Otherwise the input stopped inside a value: worded as truncation below.
    }
    if (this.last === undefined) throw new JsonExportError('it is empty', this.position.total, undefined);
    if (!this.closed) throw new JsonExportError('it ends before the closing "]" (truncated)', this.position.total, this.position.lineAt(this.position.total));
  }

  private onToken(token: ParsedTokenInfo): void {
    this.last = token;
    if (this.depth === 0 && this.closed) return; // the library reports it; explain() words it
    if (this.depth === 0 && token.token !== TokenType.LEFT_BRACKET) throw this.at(token, 'it does not start with "[" (not a JSON array)');
    if (this.depth === 1 && token.token !== TokenType.COMMA && token.token !== TokenType.RIGHT_BRACKET && token.token !== TokenType.LEFT_BRACE) {
      throw this.at(token, token.token === TokenType.LEFT_BRACKET ? 'an array item is an array, not an object' : 'an array item is not an object');
    }
    if (token.token === TokenType.LEFT_BRACE || token.token === TokenType.LEFT_BRACKET) this.depth++;
    else if (token.token === TokenType.RIGHT_BRACE || token.token === TokenType.RIGHT_BRACKET) this.depth--;
    if (this.depth === 0) this.closed = true;
    this.parser.write(token); // throws on a grammar error, so an item is only reported once the parser took its "}"
    if (this.boundaries === undefined) return;
    if (this.depth === 2 && token.token === TokenType.LEFT_BRACE) this.boundaries.itemStart(this.offsetOf(token));
    else if (this.depth === 1 && token.token === TokenType.RIGHT_BRACE) this.boundaries.itemEnd(this.offsetOf(token) + 1);
  }

  private offsetOf(token: ParsedTokenInfo): number {
    return token.offset + this.bomLength;
  }

  private at(token: ParsedTokenInfo, problem: string): JsonExportError {
    const offset = this.offsetOf(token);
    return new JsonExportError(problem, offset, this.position.lineAt(offset));
  }

  private explain(error: unknown): Error {
    if (error instanceof JsonExportError) return error;
    if (error instanceof TokenizerError) {
      // The tokenizer names the byte it stopped at; its message also quotes that byte, so only the number is kept.
      const offset = Number(/absolute position "(\d+)"/.exec(error.message)?.[1] ?? this.position.total);
      const problem = this.closed ? 'there is text after the closing "]"' : 'it holds a character that is not valid JSON';
      return new JsonExportError(problem, offset, this.position.lineAt(offset));
    }
    const token = this.last;
    if (token === undefined) return new JsonExportError('it is not valid JSON', 0, 1);
    return this.at(token, `unexpected ${TOKEN_NAMES[token.token]}`);
  }
}
