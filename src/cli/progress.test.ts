import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './io.js';
import { progressBar, progressStream, type ProgressStream } from './progress.js';

/** A terminal's stream that keeps what is written to it. */
function aTerminal(isTTY: boolean): ProgressStream & { readonly written: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, { isTTY, columns: 120, written: () => chunks.join('') });
}

function io(terminal: CliIo['terminal']): CliIo {
  return { out: () => undefined, err: () => undefined, env: {}, cwd: '/', ...(terminal === undefined ? {} : { terminal }) };
}

describe('progressStream: a bar only on a terminal', () => {
  const tty = aTerminal(true);
  it('draws on stderr when stdout and stderr are both terminals and the output is not JSON', () => {
    expect(progressStream(io({ stdout: { isTTY: true }, stderr: tty }), { json: false })).toBe(tty);
  });
  it('draws nothing with --json, on a piped stdout or stderr, or with no terminal at all', () => {
    expect(progressStream(io({ stdout: { isTTY: true }, stderr: tty }), { json: true })).toBeNull();
    expect(progressStream(io({ stdout: { isTTY: false }, stderr: tty }), { json: false })).toBeNull();
    expect(progressStream(io({ stdout: {}, stderr: tty }), { json: false })).toBeNull();
    expect(progressStream(io({ stdout: { isTTY: true }, stderr: aTerminal(false) }), { json: false })).toBeNull();
    expect(progressStream(io(undefined), { json: false })).toBeNull();
  });
});

describe('progressBar', () => {
  it('draws the count towards the total and the finished bar when stopped', () => {
    const stream = aTerminal(true);
    const bar = progressBar(stream, 'handoffs');
    bar.start(2_000);
    expect(stream.written()).toContain('0/2000 handoffs');
    bar.advance(500);
    bar.advance(2_000);
    bar.stop();
    const written = stream.written();
    expect(written).toContain('100% | 2000/2000 handoffs');
    expect(written).toContain('█'.repeat(20));
    expect(written.endsWith('\n')).toBe(true);
  });

  it('draws nothing before start, and stop is safe twice', () => {
    const stream = aTerminal(true);
    const bar = progressBar(stream, 'handoffs');
    bar.advance(10);
    bar.stop();
    expect(stream.written()).toBe('');
    bar.start(1);
    bar.stop();
    bar.stop();
    expect(stream.written()).toContain('0/1 handoffs');
  });
});
