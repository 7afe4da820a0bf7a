import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeFileChange } from '../../../supervisor/history/file-identity.ts';

const opened = { dev: 2049, ino: 1234 };

test('the same (dev, ino) is the same file, whatever was written to it', () => {
  assert.equal(judgeFileChange(opened, { dev: 2049, ino: 1234 }), 'same');
});

test('nothing at the path is a deleted file; another inode or device is a replaced one', () => {
  assert.equal(judgeFileChange(opened, undefined), 'deleted');
  assert.equal(judgeFileChange(opened, { dev: 2049, ino: 99 }), 'replaced');
  assert.equal(judgeFileChange(opened, { dev: 7, ino: 1234 }), 'replaced');
});

test('a file already gone right after opening counts as lost, whatever is at the path now', () => {
  assert.equal(judgeFileChange(undefined, undefined), 'deleted');
  assert.equal(judgeFileChange(undefined, opened), 'replaced');
});
