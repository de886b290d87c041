import { describe, expect, it } from 'vitest';
import { untilLogWritten } from '@/lib/db/written';

describe('untilLogWritten (a page asks the background to write the log before reading it)', () => {
  it('asks for the write and waits for the answer', async () => {
    const sent: unknown[] = [];
    let answered = false;
    await untilLogWritten(async (message) => {
      sent.push(message);
      await new Promise((resolve) => setTimeout(resolve, 5));
      answered = true;
      return true;
    });
    expect(sent).toEqual([{ type: 'flush-log' }]);
    expect(answered).toBe(true);
  });

  it('asks again when the answer is nothing (a worker stopped with the message on its way), three times at most', async () => {
    const answers: unknown[] = [undefined, true];
    let asked = 0;
    await untilLogWritten(async () => {
      asked++;
      return answers.shift();
    });
    expect(asked).toBe(2);
    asked = 0;
    await untilLogWritten(async () => void asked++);
    expect(asked).toBe(3);
    // A failure is an answer: a write the disk refused is not tried again from here.
    asked = 0;
    await untilLogWritten(async () => {
      asked++;
      throw new Error('QuotaExceededError');
    });
    expect(asked).toBe(1);
  });

  it('waits no longer than its bound for a background that does not answer, and never throws', async () => {
    // A send that never settles: the call still returns (the test would time out otherwise).
    await expect(untilLogWritten(() => new Promise(() => undefined), 30)).resolves.toBeUndefined();
    await expect(untilLogWritten(() => Promise.reject(new Error('no receiver')))).resolves.toBeUndefined();
    await expect(
      untilLogWritten(() => {
        throw new Error('no runtime');
      }),
    ).resolves.toBeUndefined();
  });
});
