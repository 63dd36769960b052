import { describe, expect, it } from 'vitest';
import { detectHumanRequest } from './detect-human-request.js';

const REQUESTS: Record<string, readonly string[]> = {
  en: [
    'talk to a human',
    'Can I speak to an agent?',
    'I want a real person',
    'get me a representative',
    'operator please',
    'Human please!!',
    'agent',
    'I would like to speak with someone about my invoice',
    "I'd like to talk to a real person please",
    'Is there a human I can talk to?',
    'connect me with a live agent',
    'transfer me to customer service',
    'put me through to a supervisor',
    'I need to speak to a manager',
    'let me chat with a person, not a bot',
    'Could you escalate this to a human?',
    'can I get a human on the line',
    'is anyone there?',
    'I need human help',
    'CAN I TALK TO SOMEONE',
    'why cant I just talk to a person',
    'representative',
    'have someone call me',
  ],
  es: [
    'quiero hablar con una persona',
    'pásame con un agente',
    'necesito un humano',
    'Hola, ¿puedo hablar con un asesor?',
    'quiero hablar con alguien de soporte',
    'me pasas con una persona real por favor',
    'comunícame con un operador',
    'quisiera hablar con un agente humano',
    '¿hay alguien ahí?',
    'un humano por favor',
    'Necesito que me atienda una persona',
    'no puedo entrar, quiero hablar con una persona',
    'quiero un agente ya',
    'pasame con atencion al cliente',
    'prefiero hablar con un ser humano',
  ],
  fr: [
    'je veux parler à un conseiller',
    "puis-je parler à quelqu'un",
    'un humain svp',
    "J'ai besoin d'un conseiller",
    'Est-ce que je peux parler avec un agent ?',
    'passez-moi un conseiller svp',
    'mettez-moi en relation avec un conseiller',
    'je voudrais parler au service client',
    "y a-t-il quelqu'un ?",
    'je veux une vraie personne',
    'parler a un humain',
    'je souhaiterais discuter avec un opérateur',
  ],
  de: [
    'ich möchte mit einem Mitarbeiter sprechen',
    'kann ich mit einem Menschen reden',
    'Ich moechte bitte mit jemandem sprechen',
    'Verbinden Sie mich bitte mit einem Mitarbeiter',
    'Ich will einen echten Menschen',
    'Kann ich einen Mitarbeiter sprechen?',
    'Gibt es hier einen echten Menschen?',
    'Mitarbeiter bitte',
    'Bitte leiten Sie mich an einen Mitarbeiter weiter',
    'ich brauche einen Ansprechpartner',
    'ich würde gerne mit dem Kundenservice sprechen',
  ],
  pt: [
    'quero falar com um atendente',
    'posso falar com uma pessoa',
    'preciso de um humano',
    'me passa para um atendente por favor',
    'quero atendimento humano',
    'gostaria de falar com alguém do suporte',
    'tem alguém aí?',
    'atendente por favor',
    'Olá, queria falar com um atendente',
    'me transfere para um humano',
    'chama um atendente',
  ],
  it: [
    'voglio parlare con un operatore',
    'posso parlare con una persona?',
    "c'è qualcuno?",
    'passami un operatore per favore',
    'vorrei parlare con qualcuno del supporto',
  ],
  nl: [
    'ik wil met een medewerker spreken',
    'kan ik een medewerker spreken',
    'verbind me door met een medewerker',
    'ik wil een echt persoon',
    'mag ik iemand spreken?',
  ],
};

const NOT_REQUESTS: Record<string, readonly string[]> = {
  en: [
    'the agent in my app crashed',
    'how do I add a person to my team',
    'human resources module',
    "I spoke to an agent yesterday and it's fixed",
    "I don't want to talk to a human",
    'I need an agent seat for my new hire',
    'How do I reset my password?',
    'my invoice is wrong',
    'the person who created the report left the company',
    'I need help with my invoice',
    'I need support',
    'can you transfer a ticket to another project?',
    'is there a person field on contacts?',
    'thanks, the agent already helped me',
  ],
  es: [
    'el agente de la aplicación no funciona',
    'ya hablé con un agente y está resuelto',
    'quiero agregar una persona a mi equipo',
    'no quiero hablar con un humano',
    'no puedo entrar en mi cuenta',
    'hay una persona en mi equipo que no puede entrar',
  ],
  fr: [
    "j'ai parlé à un conseiller hier",
    'comment ajouter une personne à mon équipe',
    'je ne veux pas parler à un humain',
    "ma facture est fausse",
  ],
  de: [
    'ich habe gestern mit einem Mitarbeiter gesprochen',
    'ich möchte einen Mitarbeiter hinzufügen',
    'Ich möchte nicht mit einem Menschen sprechen',
    'meine Rechnung ist falsch',
  ],
  pt: [
    'falei com um atendente ontem e resolveu',
    'como adicionar uma pessoa na minha equipe',
    'não quero falar com um atendente',
    'minha fatura está errada',
  ],
  it: ['ho parlato con un operatore ieri'],
  nl: ['ik heb gisteren met een medewerker gesproken', 'ik wil een medewerker toevoegen'],
};

describe('detectHumanRequest', () => {
  for (const [language, phrases] of Object.entries(REQUESTS)) {
    describe(`recognises a request for a person in ${language}`, () => {
      it.each(phrases)('%s', (text) => {
        expect(detectHumanRequest(text)).toBe(true);
      });
    });
  }

  for (const [language, phrases] of Object.entries(NOT_REQUESTS)) {
    describe(`does not mistake ordinary ${language} messages for a request`, () => {
      it.each(phrases)('%s', (text) => {
        expect(detectHumanRequest(text)).toBe(false);
      });
    });
  }

  it('ignores missing accents, case and punctuation', () => {
    expect(detectHumanRequest('PASAME CON UN AGENTE')).toBe(true);
    expect(detectHumanRequest('pasame con un agente')).toBe(true);
    expect(detectHumanRequest('je veux parler a un conseiller!!!')).toBe(true);
    expect(detectHumanRequest('ich mochte mit einem mitarbeiter sprechen')).toBe(true);
    expect(detectHumanRequest('quero falar com um atendente.......')).toBe(true);
  });

  it('a negation in an earlier sentence does not cancel a later request', () => {
    expect(detectHumanRequest("This doesn't work. I want to talk to a human")).toBe(true);
    expect(detectHumanRequest('No funciona. Quiero hablar con una persona')).toBe(true);
  });

  it('does not fire on an empty message', () => {
    expect(detectHumanRequest('')).toBe(false);
    expect(detectHumanRequest('   !!! ')).toBe(false);
  });
});
