/**
 * Small talk: a message that is *only* a greeting, thanks or goodbye ("hola", "hi there",
 * "thanks!", "bonjour", "vielen Dank", "obrigado, tchau") or an acknowledgement ("ok", "perfecto"). The AI agent answers it politely
 * instead of searching the knowledge base, where it would find nothing and hand off: a customer
 * who says "hi" first must not be sent to a queue (and not counted as a turn without progress).
 *
 * Every word must be small-talk vocabulary; one topic word ("hi, my invoice") and it is a question.
 * An empty message (only emoji or punctuation) counts as a greeting: we invite them to ask.
 */
import { words } from './normalize-text.js';

export type SmallTalk = 'greeting' | 'thanks' | 'farewell' | 'acknowledgement';

const THANKS = new Set(
  `thanks thank thx ty tks cheers appreciated appreciate gracias merci danke dank obrigado obrigada valeu
   grazie bedankt`.split(/\s+/),
);
const FAREWELL = new Set(
  `bye goodbye cya later adios luego chao chau revoir ciao tschuss tschau wiedersehen tchau logo`.split(/\s+/),
);
const ACKNOWLEDGEMENT = new Set(
  `ok okay k great cool perfect nice awesome fine vale perfecto genial parfait super accord perfekt klar
   perfeito otimo`.split(/\s+/),
);
const OTHER = new Set(
  `hi hello hey hiya heya yo there good morning afternoon evening day night you very much so a lot
   all everyone folks team again greetings have how are doing well and is anybody see soon for the
   your help many dear sir madam
   hola buenas buenos dias tardes noches muchas muchisimas mil hasta que tal saludos de nada te le les
   un saludo por favor todo bien muy
   bonjour bonsoir salut coucou beaucoup bien d au bonne journee soiree a plus tard vous tout le monde
   hallo guten tag morgen abend moin servus vielen schon auf gruss gott gut alles sehr
   ola oi bom dia boa tarde noite muito muita ate mais tudo bem e ai`.split(/\s+/),
);

export function detectSmallTalk(text: string): SmallTalk | null {
  const found = words(text);
  let thanks = false;
  let farewell = false;
  let acknowledgement = false;
  for (const word of found) {
    if (THANKS.has(word)) thanks = true;
    else if (FAREWELL.has(word)) farewell = true;
    else if (ACKNOWLEDGEMENT.has(word)) acknowledgement = true;
    else if (!OTHER.has(word)) return null;
  }
  if (thanks) return 'thanks';
  if (farewell) return 'farewell';
  if (acknowledgement) return 'acknowledgement';
  return 'greeting';
}
