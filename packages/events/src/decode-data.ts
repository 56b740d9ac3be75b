// How Supervisor turns child output bytes into event text: strict UTF-8, or Python's repr of the
// bytes behind "Undecodable: " when that fails.

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes a chunk of child output for a PROCESS_LOG_* or PROCESS_COMMUNICATION_* event the way
 * supervisord does: strict UTF-8 (a BOM is kept), and if that fails, `Undecodable: ` followed by
 * Python's `repr()` of the bytes. A multi-byte character split across two pipe reads therefore makes
 * both chunks undecodable, as in Supervisor.
 *
 * @example
 * decodeEventData(new TextEncoder().encode('héllo\n')); // 'héllo\n'
 * decodeEventData(Uint8Array.of(0x62, 0xff)); // "Undecodable: b'b\\xff'"
 */
export function decodeEventData(chunk: Uint8Array): string {
  try {
    return strictUtf8.decode(chunk);
  } catch {
    return `Undecodable: ${pythonBytesRepr(chunk)}`;
  }
}

/**
 * Python's `repr()` of a `bytes` object: `b'…'` (or `b"…"` when the bytes hold `'` and no `"`),
 * with `\t \n \r \\` escaped, the quote escaped, and other bytes outside 0x20–0x7e as `\xNN`.
 *
 * @example
 * pythonBytesRepr(Uint8Array.of(0x61, 0x0a, 0xfe)); // "b'a\\n\\xfe'"
 */
export function pythonBytesRepr(bytes: Uint8Array): string {
  const quote = bytes.includes(0x27) && !bytes.includes(0x22) ? '"' : "'";
  const quoteByte = quote.charCodeAt(0);
  let out = `b${quote}`;
  for (const byte of bytes) {
    if (byte === quoteByte || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte === 0x09) out += '\\t';
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x0d) out += '\\r';
    else if (byte < 0x20 || byte >= 0x7f) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(byte);
  }
  return out + quote;
}
