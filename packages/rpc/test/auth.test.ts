import { describe, expect, test } from 'vitest';
import { checkCredentials } from '../src/index.ts';

describe('checkCredentials', () => {
  const plain = { username: 'user', password: '123' };
  const sha = { username: 'user', password: '{SHA}40bd001563085fc35165329ea1ff5c5ecbdbbeef' };
  test.each([
    [plain, 'user', '123', true],
    [plain, 'user', '1234', false],
    [plain, 'User', '123', false],
    [plain, 'user', '', false],
    [plain, undefined, undefined, false],
    [sha, 'user', '123', true],
    [sha, 'user', '40bd001563085fc35165329ea1ff5c5ecbdbbeef', false],
    [sha, 'user', '{SHA}40bd001563085fc35165329ea1ff5c5ecbdbbeef', false],
    [{ username: 'user', password: '{SHA}40BD001563085FC35165329EA1FF5C5ECBDBBEEF' }, 'user', '123', false],
    [undefined, undefined, undefined, true],
    [undefined, 'anyone', 'anything', true],
  ])('%o with %s/%s → %s', (auth, username, password, expected) => {
    expect(checkCredentials(auth, username, password)).toBe(expected);
  });
});
