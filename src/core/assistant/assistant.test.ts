import MiniSearch from 'minisearch';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AssistantConfig, KnowledgeConfig } from '../../contract/config.js';
import { createAssistant, type AssistantTurn, type AssistantTurnInput, type TranscriptLine } from './assistant.js';
import { ASSISTANT_CONFIG, KNOWLEDGE_BASE, largeKnowledgeBase } from './assistant-fixtures.js';

const assistant = createAssistant({ knowledge: KNOWLEDGE_BASE, assistant: ASSISTANT_CONFIG });

function turn(text: string, input: Partial<Omit<AssistantTurnInput, 'text'>> = {}): AssistantTurn {
  return assistant.respond({ text, history: [], knownLanguage: null, turnsWithoutProgress: 0, ...input });
}

function hardTriggers(result: AssistantTurn): string[] {
  return result.triggers.filter((t) => !t.soft).map((t) => t.trigger);
}

function reasonOf(result: AssistantTurn, trigger: string): string | undefined {
  return result.triggers.find((t) => t.trigger === trigger)?.reason;
}

describe('answers from the knowledge base', () => {
  const CLEAR: readonly (readonly [string, string, string])[] = [
    ['How do I reset my password?', 'reset-password', 'en'],
    ['Hi, I was wondering if you could help me figure out how to reset my password', 'reset-password', 'en'],
    ['where can I download my invoices', 'download-invoices', 'en'],
    ['My payment was declined', 'payment-declined', 'en'],
    ['How do I change my credit card?', 'update-payment-card', 'en'],
    ['How can I change the email address on my account?', 'change-email', 'en'],
    ['how to enable 2fa', 'two-factor-authentication', 'en'],
    ['The app crashes when I try to upload a photo', 'mobile-app-crash-upload', 'en'],
    ['Can I export my projects to CSV?', 'export-data', 'en'],
    ['I want to upgrade my plan', 'change-plan', 'en'],
    ['Olvidé mi contraseña', 'restablecer-contrasena', 'es'],
    ['¿Cómo descargo mis facturas?', 'descargar-facturas', 'es'],
    ['Me rechazaron el pago', 'pago-rechazado', 'es'],
    ['quiero cambiar mi tarjeta', 'cambiar-tarjeta', 'es'],
    ['la app se cierra al subir fotos', 'app-se-cierra', 'es'],
    ["J'ai oublié mon mot de passe", 'reinitialiser-mot-de-passe', 'fr'],
    ['Ich habe mein Passwort vergessen', 'passwort-zuruecksetzen', 'de'],
    ['Esqueci minha senha', 'redefinir-senha', 'pt'],
  ];

  for (const [question, articleId, language] of CLEAR) {
    it(`answers "${question}" with ${articleId}`, () => {
      const result = turn(question);
      expect(result.answer?.articleId).toBe(articleId);
      expect(result.answer?.confidence).toBeGreaterThanOrEqual(ASSISTANT_CONFIG.confidenceThreshold);
      expect(result.language).toBe(language);
      expect(hardTriggers(result)).toEqual([]);
      expect(result.reply).toContain(result.answer?.text);
      expect(result.turnsWithoutProgress).toBe(0);
    });
  }

  it('sends the article as paragraphs, not with the line breaks of its YAML block', () => {
    const local = createAssistant({
      knowledge: [{ id: 'wrapped', language: 'en', title: 'Reset your password', body: 'Open Settings and choose\n"Reset password".\n\nThe link is valid\nfor an hour.\n', tags: [] }],
      assistant: ASSISTANT_CONFIG,
    });
    const result = local.respond({ text: 'How do I reset my password?', history: [], knownLanguage: null, turnsWithoutProgress: 0 });
    expect(result.answer?.text).toBe('Open Settings and choose "Reset password".\n\nThe link is valid for an hour.');
    expect(result.reply).toMatch(/:\n\nOpen Settings and choose "Reset password"\.\n\nThe link is valid for an hour\.$/);
    expect(local.retrieve('reset my password', { language: 'en', limit: 1 })[0]?.text).toBe(result.answer?.text);
  });

  it('introduces the article in the conversation language', () => {
    expect(turn('Olvidé mi contraseña').reply).toMatch(/^Esto es lo que encontré/);
    expect(turn('How do I reset my password?').reply).toMatch(/^Here's what I found/);
    expect(turn('Esqueci minha senha').reply).toMatch(/^Encontrei isto/);
  });

  it('gives a clear question a much higher confidence than an off-topic one', () => {
    const clear = turn('How do I reset my password?').bestMatch?.confidence ?? 0;
    const offTopic = turn('Do you sell gift cards?').bestMatch?.confidence ?? 0;
    expect(clear).toBeGreaterThan(0.8);
    expect(offTopic).toBeLessThan(ASSISTANT_CONFIG.confidenceThreshold);
  });

  it('prefers the article written in the conversation language', () => {
    expect(turn('Slack', { knownLanguage: 'es' }).answer?.articleId).toBe('conectar-slack');
    expect(turn('Slack', { knownLanguage: 'en' }).answer?.articleId).toBe('connect-slack');
    expect(turn('Slack', { knownLanguage: 'es-MX' }).reply).toMatch(/^Esto es lo que encontré/);
  });

  it('respects the configured threshold in both directions', () => {
    const strict = createAssistant({ knowledge: KNOWLEDGE_BASE, assistant: { ...ASSISTANT_CONFIG, confidenceThreshold: 0.99 } });
    const lenient = createAssistant({ knowledge: KNOWLEDGE_BASE, assistant: { ...ASSISTANT_CONFIG, confidenceThreshold: 0.1 } });
    const input = { history: [], knownLanguage: null, turnsWithoutProgress: 0 };

    // A second unanswerable message in a row (the first gets a question back).
    const tooUnsure = strict.respond({ ...input, turnsWithoutProgress: 1, text: 'my card was declined yesterday' });
    expect(tooUnsure.answer).toBeNull();
    expect(tooUnsure.reply).toBeNull();
    expect(reasonOf(tooUnsure, 'unsupported_topic')).toMatch(/^no knowledge match above 0.99 \(best 0\.\d\d "payment-declined"\)$/);

    const sureEnough = lenient.respond({ ...input, text: 'Do you sell gift cards?' });
    expect(sureEnough.answer).not.toBeNull();
    expect(sureEnough.answer?.confidence).toBeGreaterThanOrEqual(0.1);
  });
});

describe('triggers', () => {
  it('hands off when the customer asks for a person, first in precedence, with no reply', () => {
    for (const text of ['talk to a human', 'quiero hablar con una persona', 'je veux parler à un conseiller', 'ich möchte mit einem Mitarbeiter sprechen', 'quero falar com um atendente']) {
      const result = turn(text);
      expect(result.triggers[0]?.trigger, text).toBe('customer_requested_human');
      expect(result.triggers[0]?.soft).toBe(false);
      expect(result.triggers[0]?.reason).toContain(text);
      expect(result.reply).toBeNull();
      expect(result.answer).toBeNull();
    }
  });

  it('keeps the person request ahead of an answerable question', () => {
    const result = turn('I forgot my password, can I talk to a human?');
    expect(hardTriggers(result)).toEqual(['customer_requested_human']);
    expect(result.reply).toBeNull();
  });

  const NEVER_AUTOMATE: Record<string, readonly string[]> = {
    en: ['I want a refund', 'Can I get my money refunded?', 'how do I cancel my subscription', 'I cancelled and was still charged', 'my lawyer will contact you'],
    es: ['quiero un reembolso', 'quiero cancelar mi suscripción', '¿cómo hago la cancelación?', 'hablaré con mi abogado'],
    fr: ['je voudrais un remboursement', 'comment annuler mon abonnement ?', 'mon avocat va vous écrire'],
    de: ['Ich möchte eine Rückerstattung', 'Wie kann ich kündigen?', 'mein Anwalt meldet sich'],
    pt: ['quero um reembolso', 'quero cancelar minha assinatura', 'vou falar com meu advogado'],
  };
  for (const [language, messages] of Object.entries(NEVER_AUTOMATE)) {
    it(`hands off never-automate topics in ${language}, even when an article would match`, () => {
      for (const text of messages) {
        const result = turn(text);
        expect(hardTriggers(result), text).toEqual(['unsupported_topic']);
        expect(reasonOf(result, 'unsupported_topic'), text).toMatch(/^never-automate topic "(refund|cancellation|legal)"/);
        expect(result.reply).toBeNull();
        expect(result.answer).toBeNull();
      }
    });
  }

  const NO_MATCH: Record<string, readonly string[]> = {
    en: ["What's the weather like in Paris?", 'Can I bring my dog to the office?', 'Is there a student discount?', 'Do you sell gift cards?'],
    es: ['¿Qué tiempo hace en Madrid?', '¿Puedo llevar a mi perro a la oficina?', '¿Tienen descuento para estudiantes?'],
    fr: ['Quel temps fait-il à Paris ?', 'Puis-je venir avec mon chien au bureau ?', 'Avez-vous une réduction étudiante ?'],
    de: ['Wie ist das Wetter in Berlin?', 'Darf ich meinen Hund ins Büro mitbringen?', 'Gibt es einen Studentenrabatt?'],
    pt: ['Como está o tempo em Lisboa?', 'Posso levar meu cachorro ao escritório?', 'Vocês têm desconto para estudantes?'],
  };
  for (const [language, messages] of Object.entries(NO_MATCH)) {
    it(`asks once, then hands off instead of guessing when nothing in the knowledge base answers (${language})`, () => {
      for (const text of messages) {
        const first = turn(text);
        expect(hardTriggers(first), text).toEqual([]);
        expect(first.answer, text).toBeNull();
        expect(first.reply, text).toMatch(/\?$/);
        expect(first.turnsWithoutProgress, text).toBe(1);
        const result = turn(text, { turnsWithoutProgress: first.turnsWithoutProgress });
        expect(hardTriggers(result), text).toEqual(['unsupported_topic']);
        expect(reasonOf(result, 'unsupported_topic'), text).toMatch(/^no knowledge match above 0.35 \((no article matched|best 0\.\d\d "[a-z0-9-]+")\)$/);
        expect(result.reply).toBeNull();
        expect(result.language, text).toBe(language);
      }
    });
  }

  it('always offers intent_or_keyword as a soft trigger, naming the intent when one matched', () => {
    const plain = turn('How do I reset my password?');
    expect(plain.triggers).toContainEqual({ trigger: 'intent_or_keyword', soft: true, reason: 'message text (no intent matched)' });
    expect(plain.intent).toBeNull();

    for (const [text, intent] of [
      ['I was charged twice this month', 'billing_dispute'],
      ['Me cobraron dos veces', 'billing_dispute'],
      ['how do I transfer ownership of the account', 'account_owner'],
      ['the app crashes', 'bug_report'],
    ] as const) {
      const result = turn(text);
      expect(result.intent, text).toBe(intent);
      expect(reasonOf(result, 'intent_or_keyword'), text).toMatch(new RegExp(`^intent "${intent}" \\(`));
      expect(result.triggers.find((t) => t.trigger === 'intent_or_keyword')?.soft).toBe(true);
    }
  });

  it('puts hard triggers before soft ones', () => {
    const result = turn('I want a refund, this is ridiculous!!!');
    expect(result.triggers.map((t) => t.trigger)).toEqual(['unsupported_topic', 'intent_or_keyword', 'negative_sentiment']);
  });

  const FRUSTRATED: Record<string, string> = {
    en: 'This is ridiculous, I still cannot reset my password!!!',
    es: 'Esto es inútil, olvidé mi contraseña',
    fr: "C'est nul, j'ai oublié mon mot de passe",
    de: 'Das ist lächerlich, ich habe mein Passwort vergessen',
    pt: 'Isso é um absurdo, esqueci minha senha',
  };
  for (const [language, text] of Object.entries(FRUSTRATED)) {
    it(`flags frustration as a soft trigger and still answers (${language})`, () => {
      const result = turn(text);
      expect(result.frustrated).toBe(true);
      expect(result.triggers.find((t) => t.trigger === 'negative_sentiment')).toMatchObject({ soft: true });
      expect(hardTriggers(result)).toEqual([]);
      expect(result.answer).not.toBeNull();
    });
  }

  it('does not flag ordinary problem reports as frustration', () => {
    expect(turn('I have a problem with my invoice').frustrated).toBe(false);
    expect(turn('There is an issue with my payment').triggers.some((t) => t.trigger === 'negative_sentiment')).toBe(false);
  });
});

describe('small talk', () => {
  it.each([
    ['hola', 'es', /^¡Hola!/],
    ['hi there', 'en', /^Hi!/],
    ['thanks!', 'en', /^You're welcome!/],
    ['bonjour', 'fr', /^Bonjour !/],
    ['Guten Tag', 'de', /^Hallo!/],
    ['obrigado!', 'pt', /^De nada!/],
    ['muchas gracias', 'es', /^¡De nada!/],
  ] as const)('answers "%s" politely in %s without handing off', (text, language, reply) => {
    const result = turn(text, { turnsWithoutProgress: 2 });
    expect(hardTriggers(result)).toEqual([]);
    expect(result.language).toBe(language);
    expect(result.reply).toMatch(reply);
    expect(result.smallTalk).not.toBeNull();
    expect(result.answer).toBeNull();
    // Neither progress nor lack of it.
    expect(result.turnsWithoutProgress).toBe(2);
  });

  it('answers small talk in the contact language when it is known', () => {
    expect(turn('ok', { knownLanguage: 'pt' }).reply).toMatch(/^Ótimo!/);
  });
});

describe('a message with no topic', () => {
  it('asks what it is about instead of handing off, in the conversation language', () => {
    for (const [text, reply] of [
      ['I need help', /^Sure! What do you need help with\?/],
      ['Can you help me?', /^Sure!/],
      ['necesito ayuda', /^¡Claro! ¿Con qué necesitas ayuda\?/],
      ["j'ai besoin d'aide", /^Bien sûr !/],
      ['ich brauche Hilfe', /^Gern! Wobei brauchen Sie Hilfe\?/],
      ['preciso de ajuda', /^Claro! Com o que você precisa de ajuda\?/],
    ] as const) {
      const result = turn(text);
      expect(hardTriggers(result), text).toEqual([]);
      expect(result.reply, text).toMatch(reply);
      expect(result.turnsWithoutProgress, text).toBe(1);
    }
  });

  it('hands off when the customer never says more', () => {
    const result = turn('I need help', { turnsWithoutProgress: ASSISTANT_CONFIG.maxTurnsWithoutProgress - 1 });
    expect(reasonOf(result, 'unsupported_topic')).toBe('no progress after 3 turns (max 3)');
    expect(result.reply).toBeNull();
  });
});

describe('language', () => {
  it('uses the known language over detection', () => {
    const result = turn('How do I reset my password?', { knownLanguage: 'de' });
    expect(result.language).toBe('de');
    expect(result.reply).toMatch(/^Das habe ich dazu gefunden:/);
  });

  it('reads a short message together with the customer’s earlier ones', () => {
    const history: TranscriptLine[] = [
      { author: 'contact', body: 'Hola, tengo una pregunta sobre las integraciones' },
      { author: 'assistant', body: '¡Hola! ¿En qué puedo ayudarte hoy?' },
    ];
    expect(turn('Slack', { history }).language).toBe('es');
    expect(turn('Slack').language).toBeNull();
  });
});

describe('progress', () => {
  // Three articles for one question, so that "still not working" can be answered twice more.
  const SYNC: KnowledgeConfig[] = [
    { id: 'sync-restart', language: 'en', title: 'Calendar does not sync: restart', body: 'Restart the app and sign in again; most calendar sync problems go away.', tags: [] },
    { id: 'sync-cache', language: 'en', title: 'Calendar does not sync: clear the cache', body: 'Clear the app cache in Settings → Storage, then open the calendar again.', tags: [] },
    { id: 'sync-reinstall', language: 'en', title: 'Calendar does not sync: reinstall', body: 'Uninstall the app, install it again from the store and reconnect your calendar.', tags: [] },
    ...KNOWLEDGE_BASE,
  ];
  const config: AssistantConfig = { ...ASSISTANT_CONFIG, maxTurnsWithoutProgress: 3 };
  const agent = createAssistant({ knowledge: SYNC, assistant: config });

  function conversation(messages: readonly string[]): AssistantTurn[] {
    const history: TranscriptLine[] = [];
    const turns: AssistantTurn[] = [];
    let counter = 0;
    for (const text of messages) {
      const result = agent.respond({ text, history: [...history], knownLanguage: null, turnsWithoutProgress: counter });
      turns.push(result);
      history.push({ author: 'contact', body: text });
      if (result.reply !== null) history.push({ author: 'assistant', body: result.reply });
      counter = result.turnsWithoutProgress;
    }
    return turns;
  }

  it('counts "that did not help" turns, offers another article each time, and hands off at the maximum', () => {
    const turns = conversation(['my calendar does not sync', 'that did not help', 'it still does not work', 'still not working']);
    expect(turns.map((t) => t.turnsWithoutProgress)).toEqual([0, 1, 2, 2]);
    const articles = turns.slice(0, 3).map((t) => t.answer?.articleId);
    expect(new Set(articles).size).toBe(3);
    expect(turns[1]?.reply).toMatch(/^Sorry that didn't help/);
    const last = turns[3];
    expect(hardTriggers(last!)).toEqual(['unsupported_topic']);
    expect(reasonOf(last!, 'unsupported_topic')).toBe('no progress after 3 turns (max 3)');
    expect(last?.reply).toBeNull();
  });

  it('counts the same question asked again as no progress', () => {
    const turns = conversation(['my calendar does not sync', 'My calendar does not sync!']);
    expect(turns[1]?.turnsWithoutProgress).toBe(1);
    expect(turns[1]?.answer?.articleId).not.toBe(turns[0]?.answer?.articleId);
  });

  it('hands off at the maximum when the customer asks the same answered question again and again', () => {
    const question = 'How do I download my invoices?';
    const turns = conversation([question, 'how do I download my invoices??', question, 'How do I download my invoices']);
    expect(turns.map((t) => t.turnsWithoutProgress)).toEqual([0, 1, 2, 2]);
    expect(turns[0]?.answer?.articleId).toBe('download-invoices');
    // Nothing new to offer: said honestly, not sent again and not a handoff before the maximum.
    expect(turns[1]?.answer).toBeNull();
    expect(turns[1]?.reply).toMatch(/^I couldn't find an answer/);
    expect(hardTriggers(turns[2]!)).toEqual([]);
    expect(hardTriggers(turns[3]!)).toEqual(['unsupported_topic']);
    expect(reasonOf(turns[3]!, 'unsupported_topic')).toBe('no progress after 3 turns (max 3)');
  });

  it('counts an unanswered question asked again as no progress, up to the maximum', () => {
    const turns = conversation(['my toaster makes a funny noise', 'My toaster makes a funny noise!', 'my toaster makes a funny noise']);
    expect(turns.slice(0, 2).map((t) => t.turnsWithoutProgress)).toEqual([1, 2]);
    expect(turns.slice(0, 2).map((t) => t.reply)).toEqual([expect.stringMatching(/^I couldn't find/), expect.stringMatching(/^I couldn't find/)]);
    expect(reasonOf(turns[2]!, 'unsupported_topic')).toBe('no progress after 3 turns (max 3)');
  });

  it('hears a question asked earlier, not only the last one, as a repeat', () => {
    const turns = conversation(['How do I download my invoices?', 'my calendar does not sync', 'How do I download my invoices?']);
    expect(turns.map((t) => t.turnsWithoutProgress)).toEqual([0, 0, 1]);
  });

  it('gives a second new question nothing answers to a person at once, as before', () => {
    const turns = conversation(['my toaster makes a funny noise', 'what is the airspeed of a swallow']);
    expect(turns[0]?.turnsWithoutProgress).toBe(1);
    expect(reasonOf(turns[1]!, 'unsupported_topic')).toMatch(/^no knowledge match above/);
  });

  it('resets the counter when a new question is answered', () => {
    const result = agent.respond({
      text: 'How do I download my invoices?',
      history: [
        { author: 'contact', body: 'my calendar does not sync' },
        { author: 'assistant', body: 'Restart the app and sign in again; most calendar sync problems go away.' },
      ],
      knownLanguage: null,
      turnsWithoutProgress: 2,
    });
    expect(result.answer?.articleId).toBe('download-invoices');
    expect(result.turnsWithoutProgress).toBe(0);
  });

  const FEEDBACK_CONVERSATIONS: readonly {
    language: string;
    titles: readonly [string, string];
    question: string;
    feedback: string;
  }[] = [
    { language: 'es', titles: ['El calendario no se sincroniza: reinicia', 'El calendario no se sincroniza: borra la caché'], question: 'mi calendario no se sincroniza', feedback: 'no me sirvió' },
    { language: 'fr', titles: ['Le calendrier ne se synchronise pas : redémarrez', 'Le calendrier ne se synchronise pas : videz le cache'], question: 'mon calendrier ne se synchronise pas', feedback: 'ça ne marche toujours pas' },
    { language: 'de', titles: ['Kalender synchronisiert nicht: neu starten', 'Kalender synchronisiert nicht: Cache leeren'], question: 'mein Kalender synchronisiert nicht', feedback: 'funktioniert immer noch nicht' },
    { language: 'pt', titles: ['O calendário não sincroniza: reinicie', 'O calendário não sincroniza: limpe o cache'], question: 'meu calendário não sincroniza', feedback: 'não resolveu' },
  ];
  for (const { language, titles, question, feedback } of FEEDBACK_CONVERSATIONS) {
    it(`hears "did not help" in ${language} and tries the other article`, () => {
      const knowledge: KnowledgeConfig[] = titles.map((title, i) => ({ id: `sync-${language}-${i}`, language, title, body: `${title}.`, tags: [] }));
      const local = createAssistant({ knowledge: [...knowledge, ...KNOWLEDGE_BASE], assistant: config });
      const first = local.respond({ text: question, history: [], knownLanguage: null, turnsWithoutProgress: 0 });
      expect(first.answer?.articleId).toMatch(new RegExp(`^sync-${language}-`));
      const second = local.respond({
        text: feedback,
        history: [
          { author: 'contact', body: question },
          { author: 'assistant', body: first.reply ?? '' },
        ],
        knownLanguage: null,
        turnsWithoutProgress: 0,
      });
      expect(second.language).toBe(language);
      expect(second.turnsWithoutProgress).toBe(1);
      expect(second.answer?.articleId).toMatch(new RegExp(`^sync-${language}-`));
      expect(second.answer?.articleId).not.toBe(first.answer?.articleId);
    });
  }

  it('leaves the counter unchanged on a hard handoff', () => {
    expect(turn('talk to a human', { turnsWithoutProgress: 2 }).turnsWithoutProgress).toBe(2);
    expect(turn('I want a refund', { turnsWithoutProgress: 1 }).turnsWithoutProgress).toBe(1);
    expect(turn("What's the weather like in Paris?", { turnsWithoutProgress: 1 }).turnsWithoutProgress).toBe(1);
  });
});

describe('built once per workspace', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('indexes a 50-article base once and answers every turn from that index', () => {
    const addAll = vi.spyOn(MiniSearch.prototype, 'addAll');
    const knowledge = largeKnowledgeBase(50);
    expect(knowledge).toHaveLength(50);
    const agent = createAssistant({ knowledge, assistant: ASSISTANT_CONFIG });
    for (let i = 0; i < 30; i += 1) {
      agent.respond({ text: i % 2 === 0 ? 'How do I reset my password?' : 'webhook settings', history: [], knownLanguage: null, turnsWithoutProgress: 0 });
    }
    expect(addAll).toHaveBeenCalledTimes(1);
    expect(agent.respond({ text: 'How do I reset my password?', history: [], knownLanguage: null, turnsWithoutProgress: 0 }).answer?.articleId).toBe('reset-password');
  });

  it('works with an empty knowledge base and no configuration', () => {
    const bare = createAssistant({ knowledge: [], assistant: { confidenceThreshold: 0.35, maxTurnsWithoutProgress: 3, neverAutomate: [], intents: [] } });
    const result = bare.respond({ text: 'How do I reset my password?', history: [], knownLanguage: null, turnsWithoutProgress: 1 });
    expect(hardTriggers(result)).toEqual(['unsupported_topic']);
    expect(bare.respond({ text: 'hello', history: [], knownLanguage: null, turnsWithoutProgress: 0 }).reply).toMatch(/^Hi!/);
  });
});

describe('a very long message', () => {
  // Regression: a typo-tolerant search allowed edits in proportion to a term's length, so one
  // 20,000-character "word" took 0.2–1 s of the event loop, growing with the square of it. Now a
  // long token is matched exactly and a question is read on its first 2,000 characters: these
  // answer at once, where before the first alone would not finish within the test's time.
  it.each([
    ['one enormous word', 'a'.repeat(200_000)],
    ['many short words', 'abcdef ghijkl mnopqr '.repeat(10_000)],
    ['a question drowned in text', `how do I reset my password ${'z'.repeat(100_000)}`],
  ])('%s is answered, a handoff or a reply, in time linear in its length', (_name, text) => {
    const result = turn(text);
    // Either an answer to send or a trigger to hand off on: the turn always decides.
    expect(result.reply !== null || result.triggers.length > 0).toBe(true);
  });
});
