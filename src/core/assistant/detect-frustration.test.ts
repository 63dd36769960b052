import { describe, expect, it } from 'vitest';
import { detectFrustration } from './detect-frustration.js';

const FRUSTRATED: Record<string, readonly string[]> = {
  en: [
    'This is useless',
    'this is ridiculous, I have been waiting for days',
    'Worst service ever',
    'what the hell, wtf',
    'This app is a joke',
    'I am so frustrated with your support',
    'this is the third time I ask the same thing',
    'How many times do I have to explain this?',
    'your product sucks',
    'Are you stupid?',
    'unacceptable. fix it',
    'WHY IS NOTHING WORKING',
    'hello???',
    'answer me!!!',
    "I'm fed up with this",
    'what a waste of time',
  ],
  es: [
    'Esto es inútil',
    'es ridículo que no funcione',
    'Qué vergüenza de servicio',
    'no sirve para nada',
    'estoy harto de esperar',
    'es la tercera vez que pregunto lo mismo',
    '¿¿cuántas veces tengo que decirlo??',
    'son unos incompetentes',
    'esto es una mierda',
    'estoy muy enfadado',
    'ya van tres veces que escribo',
  ],
  fr: [
    "C'est nul",
    'votre service est vraiment nul',
    "c'est ridicule",
    "j'en ai marre",
    'inadmissible !',
    "c'est la troisième fois que je demande",
    'combien de fois dois-je le répéter ?',
    'quelle perte de temps',
    'une honte, ce service',
    'je suis énervé',
  ],
  de: [
    'Das ist lächerlich',
    'völlig nutzlos',
    'Eine Frechheit ist das!',
    'So eine Scheiße',
    'ich frage jetzt zum dritten Mal',
    'wie oft noch?',
    'ich bin wirklich sauer',
    'total inkompetent',
    'reine Zeitverschwendung',
    'Das ist eine Katastrophe',
  ],
  pt: [
    'Isso é um absurdo',
    'que serviço péssimo',
    'isso é ridículo',
    'é a terceira vez que eu pergunto',
    'quantas vezes vou ter que repetir?',
    'estou farto disso',
    'que palhaçada',
    'isso não serve para nada',
    'vocês são incompetentes',
    'que raiva',
  ],
};

const CALM: readonly string[] = [
  'I have a problem with my invoice',
  'There is an issue with the login page',
  'I get an error when saving',
  'my password is not working',
  'Bad request error on upload',
  'Sorry if this is a stupid question, how do I export?',
  'Does SSO work with SAML and the API?',
  'Tengo un problema con mi factura',
  'No puedo iniciar sesión',
  "J'ai un problème avec mon compte",
  'Ich habe ein Problem mit meiner Rechnung',
  'Estou com um problema no pagamento',
  'How do I move a project to the trash?',
  'Thanks!',
  'Can you help me?',
  'I think there is a fraudulent charge on my card',
  'pros and cons of the pro plan',
];

describe('detectFrustration', () => {
  for (const [language, messages] of Object.entries(FRUSTRATED)) {
    it(`notices clear frustration in ${language}`, () => {
      const missed = messages.filter((message) => !detectFrustration(message));
      expect(missed).toEqual([]);
    });
  }

  it('does not fire on ordinary problem reports or mild words', () => {
    const flagged = CALM.filter((message) => detectFrustration(message));
    expect(flagged).toEqual([]);
  });

  it('reads shouting as several words in capitals, not an acronym or two', () => {
    expect(detectFrustration('I NEED THIS FIXED NOW')).toBe(true);
    expect(detectFrustration('Is the API down? I use SSO.')).toBe(false);
    expect(detectFrustration('OK')).toBe(false);
  });
});
