/**
 * The AI agent's own sentences, per language (en/es/fr/de/pt; anything else gets English): the
 * answer to small talk, the question back when a message names no topic ("I need help"), and
 * the line that introduces an article. Handoff messages are not here:
 * they are per rule and per language in baton.yaml (PEERS.md, "one global handoff sentence").
 */
import { primaryLanguage } from './normalize-text.js';
import type { SmallTalk } from './detect-small-talk.js';

export type CannedReply = SmallTalk | 'clarify' | 'no_answer' | 'answer_intro' | 'retry_intro';

const TEXTS: Readonly<Record<CannedReply, Readonly<Record<string, string>>>> = {
  greeting: {
    en: 'Hi! How can I help you today?',
    es: '¡Hola! ¿En qué puedo ayudarte hoy?',
    fr: 'Bonjour ! Comment puis-je vous aider aujourd’hui ?',
    de: 'Hallo! Wie kann ich Ihnen heute helfen?',
    pt: 'Olá! Como posso ajudar você hoje?',
  },
  thanks: {
    en: "You're welcome! Is there anything else I can help you with?",
    es: '¡De nada! ¿Hay algo más en lo que pueda ayudarte?',
    fr: 'Avec plaisir ! Puis-je vous aider pour autre chose ?',
    de: 'Gern geschehen! Kann ich Ihnen sonst noch helfen?',
    pt: 'De nada! Posso ajudar em mais alguma coisa?',
  },
  acknowledgement: {
    en: 'Great! Is there anything else I can help you with?',
    es: '¡Perfecto! ¿Hay algo más en lo que pueda ayudarte?',
    fr: 'Parfait ! Puis-je vous aider pour autre chose ?',
    de: 'Prima! Kann ich Ihnen sonst noch helfen?',
    pt: 'Ótimo! Posso ajudar em mais alguma coisa?',
  },
  farewell: {
    en: 'Goodbye! Write to us any time you need help.',
    es: '¡Hasta luego! Escríbenos cuando necesites ayuda.',
    fr: 'Au revoir ! Écrivez-nous quand vous voulez.',
    de: 'Auf Wiedersehen! Schreiben Sie uns jederzeit wieder.',
    pt: 'Até logo! Escreva para nós quando precisar de ajuda.',
  },
  clarify: {
    en: 'Sure! What do you need help with? Tell me a bit more, for example which feature or page it is about.',
    es: '¡Claro! ¿Con qué necesitas ayuda? Cuéntame un poco más, por ejemplo de qué función o página se trata.',
    fr: 'Bien sûr ! De quoi avez-vous besoin ? Donnez-moi un peu plus de détails, par exemple la fonction ou la page concernée.',
    de: 'Gern! Wobei brauchen Sie Hilfe? Erzählen Sie mir etwas mehr, zum Beispiel um welche Funktion oder Seite es geht.',
    pt: 'Claro! Com o que você precisa de ajuda? Conte um pouco mais, por exemplo qual função ou página.',
  },
  no_answer: {
    en: "I couldn't find an answer to that in our help articles. Could you tell me more, or would you like to talk to a person?",
    es: 'No encontré una respuesta a eso en nuestros artículos de ayuda. ¿Puedes contarme algo más, o prefieres hablar con una persona?',
    fr: "Je n'ai pas trouvé de réponse dans nos articles d'aide. Pouvez-vous m'en dire plus, ou préférez-vous parler à un conseiller ?",
    de: 'Dazu habe ich in unseren Hilfeartikeln keine Antwort gefunden. Können Sie mir mehr erzählen, oder möchten Sie mit einer Person sprechen?',
    pt: 'Não encontrei uma resposta para isso nos nossos artigos de ajuda. Pode me contar mais, ou prefere falar com um atendente?',
  },
  answer_intro: {
    en: "Here's what I found that should help:",
    es: 'Esto es lo que encontré y debería ayudarte:',
    fr: 'Voici ce que j’ai trouvé, cela devrait vous aider :',
    de: 'Das habe ich dazu gefunden:',
    pt: 'Encontrei isto, que deve ajudar:',
  },
  retry_intro: {
    en: "Sorry that didn't help. Let's try this:",
    es: 'Siento que no te haya servido. Probemos esto:',
    fr: 'Désolé que cela n’ait pas aidé. Essayons ceci :',
    de: 'Schade, dass das nicht geholfen hat. Versuchen wir Folgendes:',
    pt: 'Desculpe, isso não resolveu. Vamos tentar isto:',
  },
};

export function cannedReply(kind: CannedReply, language: string | null): string {
  const texts = TEXTS[kind];
  return (language === null ? undefined : texts[primaryLanguage(language)]) ?? texts.en ?? '';
}
