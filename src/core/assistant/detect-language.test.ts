import { describe, expect, it } from 'vitest';
import { detectLanguage } from './detect-language.js';

// Realistic support messages, short and long, with and without accents.
const SENTENCES: Record<string, readonly string[]> = {
  en: [
    'How do I reset my password?',
    'I cannot log into my account',
    'I was charged twice this month',
    'How can I change the email address on my account?',
    'The app crashes when I try to upload a photo',
    'Where can I download my invoices?',
    'My payment was declined',
    'my card was declined yesterday',
  ],
  es: [
    'Hola, no puedo iniciar sesión en mi cuenta desde ayer',
    'No puedo entrar a mi cuenta',
    'Necesito ayuda con mi factura',
    'Me cobraron dos veces este mes',
    '¿Cómo cambio el correo electrónico de mi cuenta?',
    'La aplicación se cierra cuando intento subir una foto',
    'mi contrasena no funciona',
    '¿Dónde descargo mis facturas?',
  ],
  fr: [
    "Bonjour, je n'arrive pas à me connecter",
    'Comment changer mon mot de passe ?',
    "On m'a facturé deux fois ce mois-ci",
    "Comment puis-je modifier l'adresse e-mail de mon compte ?",
    "L'application plante quand j'essaie d'envoyer une photo",
    'Mon paiement a été refusé',
    'je veux exporter mes donnees',
  ],
  de: [
    'Ich kann mich nicht anmelden',
    'Wie ändere ich mein Passwort?',
    'Mir wurde diesen Monat zweimal abgebucht',
    'Wie kann ich die E-Mail-Adresse meines Kontos ändern?',
    'Die App stürzt ab, wenn ich ein Foto hochladen will',
    'Meine Zahlung wurde abgelehnt',
    'wo kann ich meine rechnungen herunterladen',
  ],
  pt: [
    'Não consigo acessar minha conta',
    'Como faço para redefinir minha senha?',
    'Olá, preciso de ajuda com a fatura',
    'Fui cobrado duas vezes este mês',
    'O aplicativo fecha quando tento enviar uma foto',
    'Meu pagamento foi recusado',
    'Onde baixo minhas faturas?',
    'nao consigo entrar na minha conta',
  ],
  it: ['Ciao, non riesco ad accedere al mio account'],
  nl: ['Ik kan niet inloggen op mijn account'],
};

describe('detectLanguage', () => {
  for (const [language, sentences] of Object.entries(SENTENCES)) {
    it(`recognises ${language} support messages`, () => {
      const wrong = sentences
        .map((sentence) => [sentence, detectLanguage(sentence)] as const)
        .filter(([, detected]) => detected !== language);
      expect(wrong).toEqual([]);
    });
  }

  it('uses greetings and thanks as cues when the text is too short for trigrams', () => {
    expect(detectLanguage('hola')).toBe('es');
    expect(detectLanguage('bonjour')).toBe('fr');
    expect(detectLanguage('hallo')).toBe('de');
    expect(detectLanguage('guten Tag')).toBe('de');
    expect(detectLanguage('olá')).toBe('pt');
    expect(detectLanguage('obrigado')).toBe('pt');
    expect(detectLanguage('hello')).toBe('en');
    expect(detectLanguage('hi')).toBe('en');
    expect(detectLanguage('merci')).toBe('fr');
    expect(detectLanguage('gracias')).toBe('es');
  });

  it('says nothing rather than guess on words every language shares', () => {
    expect(detectLanguage('ok')).toBeNull();
    expect(detectLanguage('SSO?')).toBeNull();
    expect(detectLanguage('password reset')).toBeNull();
    expect(detectLanguage('👍')).toBeNull();
    expect(detectLanguage('')).toBeNull();
  });

  it('decides a short line with the help of earlier messages', () => {
    // "Slack" alone says nothing; joined with the customer's earlier Spanish it is Spanish.
    expect(detectLanguage('Slack')).toBeNull();
    expect(detectLanguage('Hola, tengo una pregunta sobre integraciones\nSlack')).toBe('es');
  });
});
