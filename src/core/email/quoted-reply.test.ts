import { describe, expect, it } from 'vitest';
import { trimQuotedReply } from './quoted-reply.js';

describe('trimQuotedReply', () => {
  it('keeps a message without a quote as it is', () => {
    expect(trimQuotedReply('Hello,\n\nmy invoice is wrong.\n\nThanks, Grace')).toBe('Hello,\n\nmy invoice is wrong.\n\nThanks, Grace');
  });

  it('cuts at "On … wrote:" and everything after it', () => {
    const text = [
      'Yes, that fixed it — thank you!',
      '',
      'On Wed, 25 Nov 2026 at 10:31, Ana García <support@acme.test> wrote:',
      '> Could you try resetting your password?',
      '>',
      '> Ana',
    ].join('\n');
    expect(trimQuotedReply(text)).toBe('Yes, that fixed it — thank you!');
  });

  it('cuts at an attribution wrapped over two lines', () => {
    const text = 'Still broken.\n\nOn Wed, 25 Nov 2026 at 10:31, Ana García <support@acme.test>\nwrote:\n> try again';
    expect(trimQuotedReply(text)).toBe('Still broken.');
  });

  it('drops a trailing block of ">" lines without an attribution', () => {
    expect(trimQuotedReply('Thanks!\n\n> earlier text\n> more\n>\n')).toBe('Thanks!');
  });

  it('keeps ">" lines answered inline in the middle of the message', () => {
    const text = '> Which plan are you on?\nEnterprise.\n> And since when?\nSince Monday.';
    expect(trimQuotedReply(text)).toBe(text);
  });

  it('cuts at an Outlook separator and at an Outlook header block', () => {
    expect(trimQuotedReply('Done.\r\n\r\n-----Original Message-----\r\nFrom: Ana\r\nold text')).toBe('Done.');
    expect(trimQuotedReply('Done.\n\nFrom: Acme Support <support@acme.test>\nSent: Wednesday, November 25, 2026 10:31\nSubject: Re: invoice')).toBe('Done.');
  });

  it('knows the attributions of Spanish, French, German and Portuguese clients', () => {
    expect(trimQuotedReply('Gracias.\n\nEl mié, 25 nov 2026 a las 10:31, Ana <support@acme.test> escribió:\n> hola')).toBe('Gracias.');
    expect(trimQuotedReply('Merci.\n\nLe mer. 25 nov. 2026 à 10:31, Ana <support@acme.test> a écrit :\n> salut')).toBe('Merci.');
    expect(trimQuotedReply('Danke.\n\nAm Mi., 25. Nov. 2026 um 10:31 Uhr schrieb Ana <support@acme.test>:\n> hallo')).toBe('Danke.');
    expect(trimQuotedReply('Obrigada.\n\nEm qua., 25 de nov. de 2026 às 10:31, Ana <support@acme.test> escreveu:\n> olá')).toBe('Obrigada.');
  });

  it('does not cut a sentence that merely starts with "On"', () => {
    expect(trimQuotedReply('On Monday the invoice was right.\nToday it is wrong.')).toBe('On Monday the invoice was right.\nToday it is wrong.');
  });

  it('returns the whole text when nothing but a quote is there, so no message is stored empty', () => {
    expect(trimQuotedReply('> only a quote\n> here')).toBe('> only a quote\n> here');
  });
});
