/**
 * `customer_requested_human`: does the customer ask for a person?
 *
 * Patterns run on `matchText` (folded, one space between words, clause punctuation as `.`), so
 * missing accents, case and punctuation do not matter. Each language has a handful of shapes:
 *
 *   speak   (talk|speak|chat…) (to|with) [det] [adj] NOUN         "can I speak to an agent"
 *   connect (connect|transfer|pass…) [me] (to|with) [det] NOUN     "pásame con un agente"
 *   want    (want|need|quiero|besoin…) det [adj] STRONG_NOUN (end) "I want a real person"
 *   is-there (is there|hay|y a-t-il…) a NOUN (end)                 "¿hay alguien ahí?"
 *   bare    the whole message is a person noun (+ please)          "operator please", "un humain svp"
 *
 * What keeps it from firing on ordinary support questions:
 * - nouns are the person words only (human, agent, conseiller, Mitarbeiter, atendente…), and
 *   "want/need" shapes require the noun to END the clause or be followed by please/now/to talk…,
 *   so "I need an agent seat", "ich möchte einen Mitarbeiter hinzufügen" do not fire;
 * - past tenses are not in the verb lists ("I spoke to an agent yesterday", "ya hablé con un
 *   agente", "j'ai parlé à un conseiller", "ich habe mit einem Mitarbeiter gesprochen");
 * - a negation in the three words before the match, within the same clause, cancels it ("I don't
 *   want to talk to a human", "je ne veux pas parler à un humain").
 * All regular expressions are compiled once at module load.
 */
import { matchText } from './normalize-text.js';

interface LanguagePatterns {
  readonly patterns: readonly RegExp[];
  readonly negations: ReadonlySet<string>;
}

const START = '(?:^| )';
const END = '(?= |$)';

function build(
  parts: Readonly<Record<string, string>>,
  sources: readonly string[],
  negations: string,
): LanguagePatterns {
  const patterns = sources.map((source) => {
    const expanded = source.replace(/\{([A-Z_]+)\}/g, (_, name: string) => {
      if (name === 'S') return START;
      if (name === 'E') return END;
      const part = parts[name];
      if (part === undefined) throw new Error(`unknown pattern part {${name}}`);
      return part;
    });
    return new RegExp(expanded, 'g');
  });
  return { patterns, negations: new Set(negations.split(' ')) };
}

// ---------------------------------------------------------------- English
const EN_STRONG =
  '(?:humans?(?! (?:resources|error|readable))|human beings?|persons?|people|agents?|reps?|representatives?|operators?|' +
  'staff(?: members?)?|employees?|specialists?|advis[eo]rs?|consultants?|managers?|supervisors?|technicians?|team members?)';
const EN = build(
  {
    DET: '(?:(?:a|an|the|some|any|your|one of your|one of the|a member of your|a member of the|someone from|somebody from) )',
    ADJ: '(?:(?:real|live|actual|human|physical|genuine|proper|flesh and blood|customer service|customer support|support|service|sales|billing|technical|tech) )',
    STRONG: EN_STRONG,
    ANY: `(?:${EN_STRONG}|someone|somebody|anyone|anybody|support|customer (?:service|support|care)|help ?desk|service desk|your team|the team|the support team|sales)`,
    FOLLOW:
      '(?=$| \\.| (?:please|pls|plz|now|asap|right away|immediately|instead|here|thanks|thank|who|that|not|rather|about|' +
      'to (?:help|talk|speak|chat|assist|look|call|contact|handle|review|check|deal|answer|respond|reply|fix|sort)|' +
      'on (?:the|this) (?:chat|line|phone))(?: |$))',
  },
  [
    '{S}(?:talk|speak|chat|communicate|converse|get in touch|be in touch|get through)(?: (?:directly|right now|now|immediately|quickly|again))? (?:to|with) {DET}?{ADJ}{0,2}{ANY}{E}',
    '{S}(?:connect|transfer|put|pass|forward|escalate|redirect|route|hand|switch|send|move|patch)(?: (?:me|us|this|it|my (?:chat|call|case|ticket|request|question|conversation)))?(?: (?:through|over|back|directly|now|please))? (?:to|with) {DET}?{ADJ}{0,2}{ANY}{E}',
    '{S}(?:get|give|find|bring|fetch|call|grab)(?: (?:me|us))? {DET}{ADJ}{0,2}{STRONG}{FOLLOW}',
    '{S}(?:want|need|like|prefer|request|requesting|require|demand|demanding|wanna)(?: to (?:have|get|see))? {DET}{ADJ}{0,2}{STRONG}{FOLLOW}',
    '{S}(?:want|need|like|prefer|request|requesting|require|demand|wanna)(?: to (?:have|get))? (?:humans?|human beings?|human (?:help|support|assistance|contact)|live (?:chat|support|help|person|agent)|real (?:person|people|human|agent)|a real one){FOLLOW}',
    '{S}(?:help|assistance|support) from {DET}?{ADJ}{0,2}{STRONG}{E}',
    '{S}(?:is there|are there|is|are) (?:a|an|any) {ADJ}{0,2}(?:humans?|human beings?|persons?|people|agents?|operators?|representatives?|reps?|real one)(?=$| \\.| (?:i|we) (?:can|could)| (?:available|there|here|around|online|to (?:talk|speak|chat|help))(?: |$))',
    '{S}(?:is )?(?:anyone|anybody|someone|somebody) (?:real )?(?:there|here|available|alive|home|listening|reading this)(?=$| \\.)',
    '{S}(?:have|get|ask) (?:someone|somebody|a person|an agent|a human|a representative|a rep|a real person|an advisor|an adviser)(?: from (?:support|your team|the team))? (?:to )?(?:call|contact|phone|ring|email) (?:me|us){E}',
    '^(?:(?:please|pls|hey|hi|hello|ok) )?{DET}?{ADJ}{0,2}(?:{STRONG}|human (?:help|support)|live (?:chat|support|help)|customer (?:service|support|care)|support team)(?: (?:please|pls|plz|now|asap|thanks|thx|right now|immediately|\\.))*$',
    '^(?:please )?escalate(?: (?:this|it|my (?:case|ticket|issue)))?(?: (?:please|now|\\.))*$',
  ],
  'dont not never doesnt didnt without wont',
);

// ---------------------------------------------------------------- Spanish
const ES_STRONG =
  '(?:personas?(?: (?:real|reales|humana|de verdad|fisica|de carne y hueso))?|humanos?|ser(?:es)? humanos?|' +
  'agentes?(?: (?:humanos?|reales?|de verdad|de soporte|de atencion))?|operador(?:a|es|as)?|asesor(?:a|es|as)?|representantes?|' +
  'ejecutiv[oa]s?|especialistas?|encargad[oa]s?|supervisor(?:a|es|as)?|gerentes?|responsables?|emplead[oa]s?|tecnic[oa]s?|' +
  'consultor(?:a|es|as)?|miembros? del equipo)';
const ES = build(
  {
    DET: '(?:(?:un|una|el|la|los|las|algun|alguna|alguno|su|sus|tu|tus|otro|otra|uno de (?:sus|tus|los)|una de (?:sus|tus|las)) )',
    ADJ: '(?:(?:verdadero|verdadera|autentico|autentica|real|buen|buena) )',
    STRONG: ES_STRONG,
    ANY: `(?:${ES_STRONG}|alguien(?: (?:real|de verdad|humano|de soporte|de atencion al cliente|del equipo))?|soporte(?: tecnico)?|(?:atencion|servicio) al cliente)`,
    FOLLOW:
      '(?=$| \\.| (?:por favor|porfa|porfavor|pf|xfa|ya|ahora|ahora mismo|urgente|gracias|que (?:me|pueda|sea|hable)|para (?:hablar|que)|' +
      'de verdad|real|con quien|en vez|en lugar|no (?:un|una|el|la|este|esta) (?:bot|robot|maquina|programa))(?: |$))',
  },
  [
    '{S}(?:hablar|hablarle|conversar|chatear|charlar|platicar|comunicarme|comunicarnos|contactar(?:me|nos)?)(?: (?:ya|ahora|directamente|ahora mismo))? (?:con|a|al) {DET}?{ADJ}?{ANY}{E}',
    '{S}(?:pasame|pasadme|pasenme|paseme|pasarme|pasanos|pasarnos|comunicame|comuniqueme|comuniquenme|conectame|conecteme|conectenme|conectarme|' +
      'transfiereme|transfierame|transfieranme|transferirme|derivame|derivenme|derivarme|redirigeme|redirigirme|ponme|pongame|ponerme|' +
      'me (?:pasas|pasa|pasan|pasen|puedes pasar|pueden pasar|puede pasar|podrias pasar|podria pasar|comunicas|comunica|comuniques|comunique|comuniquen|' +
      'conectas|conecta|conecten|transfieres|transfiere|transfieran|transfiera|derivas|deriva|deriven|pones|pone|ponen|redirigen|redirige|redirijan|' +
      'puedes comunicar|puedes conectar|puedes transferir))(?: (?:por favor|porfa|ya|ahora))?(?: (?:con|a|al|para))? {DET}?{ADJ}?{ANY}{E}',
    '{S}(?:quiero|queria|quisiera|necesito|necesitaria|necesitamos|queremos|prefiero|preferiria|gustaria|pido|solicito|deseo|exijo|requiero)' +
      '(?: (?:hablar|que me atienda|ser atendid[oa] por|atencion de|contacto con|ayuda de))?(?: (?:con|a|por|de))? {DET}{ADJ}?{STRONG}{FOLLOW}',
    '{S}(?:quiero|queria|quisiera|necesito|necesitaria|prefiero|gustaria|pido|solicito|deseo|exijo|requiero)(?: (?:un|una))? ' +
      '(?:atencion humana|ayuda humana|asistencia humana|soporte humano|humanos?|persona real|agente humano|atencion personal(?:izada)?){FOLLOW}',
    '{S}(?:atienda|atiendan|atender(?:me)?|atendid[oa]|me atiende|me atienden)(?: por)? {DET}?{ADJ}?{ANY}{E}',
    '{S}(?:hay|existe|habra|tienen|teneis)(?: (?:algun|alguna|una|un))? {ADJ}?(?:persona|humano|agente|operador|asesor|alguien|ser humano)(?: (?:real|humano|de verdad))?' +
      '(?=$| \\.| (?:con quien|que (?:me|pueda)|ahi|alli|disponible|para (?:hablar|atender)|atendiendo)(?: |$))',
    '^(?:(?:hola|por favor|porfa|oye) )?{DET}?{ADJ}?(?:{STRONG}|atencion humana|soporte humano|atencion al cliente|servicio al cliente)(?: (?:por favor|porfa|porfavor|pf|xfa|ya|ahora|urgente|gracias|\\.))*$',
  ],
  'no nunca sin jamas ni tampoco',
);

// ---------------------------------------------------------------- French
const FR_STRONG =
  '(?:humains?|etres? humains?|personnes?(?: (?:reelles?|physiques?|humaines?|en chair et en os))?|conseill(?:er|ere|ers|eres)(?: (?:humains?|clientele|client))?|' +
  'agents?(?: (?:humains?|reels?))?|operat(?:eur|rice|eurs|rices)|interlocut(?:eur|rice)s?|responsables?|technicien(?:ne)?s?|employe(?:e)?s?|' +
  'specialistes?|superviseur|manager|collaborat(?:eur|rice)s?|membres? (?:de votre|de l) equipe|gestionnaire)';
const FR_SOMEONE = 'quelqu un(?: de (?:reel|vrai|humain|chez vous|votre equipe|du support|du service client))?';
const FR = build(
  {
    DET: '(?:(?:un|une|le|la|l|les|des|du|votre|vos|ton|ta|d un|d une|l un de vos|un de vos|une de vos) )',
    ADJ: '(?:(?:vrai|vraie|vrais|vraies|veritable) )',
    STRONG: FR_STRONG,
    ANY: `(?:${FR_STRONG}|${FR_SOMEONE}|(?:le )?service (?:client|clients|clientele|apres vente)|support(?: technique)?|hotline|votre equipe)`,
    SOMEONE: FR_SOMEONE,
    FOLLOW:
      '(?=$| \\.| (?:svp|s il vous plait|s il te plait|stp|merci|maintenant|tout de suite|immediatement|rapidement|qui|' +
      'pour (?:parler|m aider|me repondre|discuter|regler)|reel|reelle|humain|physique|plutot|pas (?:un|une|le|la) (?:robot|bot|machine)|' +
      'au telephone|par telephone|en ligne)(?: |$))',
  },
  [
    '{S}(?:parler|discuter|echanger|communiquer|converser|chatter|dialoguer|m entretenir)(?: (?:directement|maintenant|tout de suite|vite|rapidement))? (?:a|avec|au|aux) {DET}?{ADJ}?{ANY}{E}',
    '{S}(?:passez moi|passe moi|me passer|transferez moi|transfere moi|me transferer|redirigez moi|redirige moi|me rediriger|connectez moi|connecte moi|me connecter|' +
      '(?:mettez|mets|mettre|me mettre) (?:moi )?en (?:relation|contact)|orientez moi|me orienter|basculez moi|joindre|contacter|avoir|obtenir|appeler)' +
      '(?: (?:svp|s il vous plait|directement))?(?: (?:avec|a|au|vers))? {DET}?{ADJ}?(?:{STRONG}|{SOMEONE}|(?:le )?service client){FOLLOW}',
    '{S}(?:veux|voudrais|voudrions|aimerais|souhaite|souhaiterais|souhaitons|demande|exige|besoin|faut|prefere|prefererais|reclame)' +
      '(?: (?:parler|discuter|etre (?:mis|mise) en (?:relation|contact)|etre (?:transfere|transferee|rappele|rappelee)|l aide|l assistance))?(?: (?:a|avec|au|de|par))? {DET}{ADJ}?{STRONG}{FOLLOW}',
    '{S}(?:y a t il|y a il|il y a t il|est ce qu il y a|est ce qu il existe|avez vous)(?: (?:un|une|des))? {ADJ}?(?:humains?|personnes?|conseill(?:er|ere)s?|agents?|operat(?:eur|rice)s?|quelqu un)(?: (?:reel|reelle|humain|physique))?' +
      '(?=$| \\.| (?:a qui|avec qui|pour (?:me|m|parler)|de disponible|disponible|la|en ligne)(?: |$))',
    '{S}y a quelqu un(?: (?:la|de disponible))?(?=$| \\.)',
    '^(?:(?:bonjour|svp|s il vous plait) )?{DET}?{ADJ}?(?:{STRONG}|(?:le )?service client)(?: (?:svp|s il vous plait|s il te plait|stp|merci|maintenant|vite|\\.))*$',
  ],
  'ne n pas jamais sans plus',
);

// ---------------------------------------------------------------- German
const DE_STRONG =
  '(?:menschen?|mitarbeiter(?:in|innen|n)?|kundenberater(?:in)?|berater(?:in)?|ansprechpartner(?:in)?|servicemitarbeiter(?:in)?|supportmitarbeiter(?:in)?|' +
  'support mitarbeiter(?:in)?|kundendienstmitarbeiter(?:in)?|sachbearbeiter(?:in)?|person(?:en)?|agent(?:en|in)?|operator|techniker(?:in)?|vorgesetzten|' +
  'verantwortlichen|supervisor|betreuer(?:in)?|fachmann|experten)';
const DE_ANY = `(?:${DE_STRONG}|jemand(?:em|en)?(?: (?:vom|von|aus dem|aus ihrem) (?:support|team|kundenservice|kundendienst|service))?|(?:dem |den )?(?:kundenservice|kundendienst|kundensupport|support|service team|support team|hotline))`;
const DE = build(
  {
    DET: '(?:(?:einem|einer|einen|ein|eine|dem|der|den|die|das|ihrem|ihrer|ihren|ihre|eurem|eurer|euren) )',
    ADJ: '(?:(?:echten|echte|echter|echtem|richtigen|richtige|richtiger|richtigem|lebendigen|lebenden|menschlichen|menschliche|realen|reale|wirklichen|wirkliche|zustandigen|zustandige|kompetenten) )',
    STRONG: DE_STRONG,
    ANY: DE_ANY,
  },
  [
    '{S}mit {DET}?{ADJ}?{ANY}(?: [a-z]+){0,3} (?:sprechen|reden|chatten|schreiben|telefonieren|kommunizieren|verbunden|verbinden|unterhalten|kontakt aufnehmen|in kontakt treten){E}',
    '{S}(?:sprechen|reden|chatten|verbinden sie mich|verbinde mich|verbindet mich|verbinden|kontakt|unterhalten)(?: (?:bitte|jetzt|sofort|gerne|gern|direkt))* mit {DET}?{ADJ}?{ANY}{E}',
    '{S}(?:leiten|leite|leitet|stellen|stelle|stellt|verbinden|verbinde|verbindet|ubergeben|ubergib|weiterleiten|weiterverbinden|durchstellen|vermitteln|vermittle|geben|gib|gebt)' +
      '(?: (?:sie|du|ihr))? (?:mich|uns)(?: (?:bitte|jetzt|sofort|direkt))* (?:an|zu|mit|zum) {DET}?{ADJ}?{ANY}{E}',
    '{S}(?:an|zu) {DET}?{ADJ}?{ANY}(?: [a-z]+){0,2} (?:weiterleiten|weiterverbinden|durchstellen|ubergeben|weitergeleitet werden|verbunden werden|vermitteln){E}',
    '{S}(?:mochte|moechte|mochten|will|wollen|brauche|brauchen|benotige|benoetige|hatte gern|hatte gerne|haette gern|haette gerne|wunsche|verlange|fordere|suche)' +
      '(?: (?:bitte|gerne|gern|jetzt|sofort|endlich|direkt))* {DET}{ADJ}?{STRONG}' +
      '(?=$| \\.| (?:sprechen|bitte|jetzt|sofort|haben|dran|erreichen|ans telefon|am telefon|zum sprechen|und keinen|statt|nicht)(?: |$))',
    '{S}(?:(?:einen|eine|den|die) {ADJ}?{STRONG}|jemanden)(?: (?:bitte|mal|kurz|personlich))? (?:sprechen|erreichen){E}',
    '{S}gibt es (?:(?:hier|da|auch|bei ihnen|denn|uberhaupt) )*(?:jemand(?:en)?|(?:einen|eine|ein|keinen|keine|kein) {ADJ}?{STRONG})' +
      '(?=$| \\.| (?:mit dem|mit der|den ich|die ich|zum sprechen|hier|da)(?: |$))',
    '^(?:(?:hallo|bitte) )?{DET}?{ADJ}?(?:{STRONG}|kundenservice|kundendienst)(?: (?:bitte|jetzt|sofort|danke|\\.))*$',
  ],
  'nicht nie niemals ohne kein keine keinen',
);

// ---------------------------------------------------------------- Portuguese
const PT_STRONG =
  '(?:pessoas?(?: (?:real|reais|de verdade|humana|fisica|de carne e osso))?|humanos?|ser(?:es)? humanos?|atendentes?(?: (?:humanos?|reais?|de verdade))?|' +
  'agentes?(?: (?:humanos?|reais?))?|operador(?:a|es|as)?|consultor(?:a|es|as)?|representantes?|funcionari[oa]s?|especialistas?|gerentes?|' +
  'supervisor(?:a|es|as)?|tecnic[oa]s?|responsave(?:l|is)|colaborador(?:a)?)';
const PT = build(
  {
    DET: '(?:(?:um|uma|o|a|os|as|algum|alguma|seu|sua|seus|suas|outro|outra|um dos seus|uma das suas) )',
    ADJ: '(?:(?:verdadeir[oa]|real) )',
    STRONG: PT_STRONG,
    ANY: `(?:${PT_STRONG}|alguem(?: (?:real|de verdade|humano|do suporte|do atendimento|da equipe))?|suporte(?: tecnico| humano)?|atendimento(?: humano| ao cliente| personalizado)?|sac|central de atendimento)`,
    FOLLOW:
      '(?=$| \\.| (?:por favor|pf|pfv|pfvr|agora|ja|urgente|obrigad[oa]|que (?:me|possa|seja)|pra (?:falar|me ajudar|resolver)|para (?:falar|me ajudar|resolver)|' +
      'de verdade|real|e nao (?:um|uma|o|a) (?:robo|bot|maquina))(?: |$))',
  },
  [
    '{S}(?:falar|conversar|chatear|bater (?:um )?papo|me comunicar|comunicar me|papear)(?: (?:agora|diretamente|ja|logo))? (?:com|c|ao|a|pra|para) {DET}?{ADJ}?{ANY}{E}',
    '{S}(?:me (?:passa|passe|passar|transfere|transfira|transferir|transferem|encaminha|encaminhe|encaminhar|encaminhem|conecta|conecte|conectar|coloca|coloque|colocar|direciona|direcione|direcionar)|' +
      'passa me|passe me|transfere me|transfira me|transfiram me|encaminhe me|encaminha me|conecte me|conecta me|coloque me|direcione me|chama|chame|chamar|chamem)' +
      '(?: (?:por favor|agora|logo))?(?: (?:para|pra|pro|com|a|ao|c))? {DET}?{ADJ}?{ANY}{E}',
    '{S}(?:quero|queria|gostaria|preciso|precisava|necessito|prefiro|solicito|desejo|exijo|peco)' +
      '(?: (?:de|ser atendid[oa] por|que me atenda|atendimento com|atendimento de|falar com|de falar com))? {DET}?{ADJ}?' +
      '(?:{STRONG}|atendimento humano|atendimento com (?:uma pessoa|humano|um humano|atendente)|suporte humano|ajuda humana|ajuda de (?:uma pessoa|um humano|um atendente)){FOLLOW}',
    '{S}(?:me atenda|me atende|me atendam|me atender|atendid[oa] por|ser atendid[oa])(?: por)? {DET}?{ADJ}?{ANY}{E}',
    '{S}(?:alguem|algum atendente|uma pessoa|algum humano) (?:pode|poderia|consegue|vai) me atender{E}',
    '{S}(?:tem|existe|ha|havera|teria)(?: (?:algum|alguma|um|uma))? {ADJ}?(?:alguem|pessoa|humano|atendente|agente|operador|ser humano)(?: (?:real|humano|de verdade))?' +
      '(?=$| \\.| (?:ai|disponivel|online|pra (?:falar|me atender)|para (?:falar|me atender)|com quem|que (?:possa|pode) me (?:atender|ajudar))(?: |$))',
    '^(?:(?:ola|oi|por favor) )?{DET}?{ADJ}?(?:{STRONG}|atendimento humano|suporte humano|atendimento)(?: (?:por favor|pf|pfv|agora|ja|urgente|obrigad[oa]|\\.))*$',
  ],
  'nao nunca sem jamais nem',
);

// ---------------------------------------------------------------- Italian
const IT_STRONG =
  '(?:operat(?:ore|rice|ori)|persona(?: (?:reale|vera|fisica|umana|in carne e ossa))?|umano|essere umano|esseri umani|agente(?: umano)?|consulente|' +
  'addett[oa](?: del servizio clienti| all assistenza)?|responsabile|tecnico|impiegat[oa]|specialista|assistente umano)';
const IT = build(
  {
    DET: '(?:(?:un|una|uno|un altro|un altra|il|la|lo|l|al|alla|allo|all|col|qualche|un vostro|una vostra|uno dei vostri) )',
    ADJ: '(?:(?:vero|vera|veri|reale|umano|umana) )',
    STRONG: IT_STRONG,
    ANY: `(?:${IT_STRONG}|qualcuno(?: (?:di reale|di vero|del supporto|dell assistenza|del servizio clienti))?|(?:l )?assistenza(?: clienti| tecnica)?|(?:il )?servizio clienti|(?:il )?supporto(?: tecnico)?)`,
  },
  [
    '{S}(?:parlare|chattare|conversare|comunicare|parlarne|parlarci)(?: (?:subito|direttamente|ora|adesso))? (?:con|a|al|alla|allo|all|col|coi) {DET}?{ADJ}?{ANY}{E}',
    '{S}(?:passami|passatemi|trasferiscimi|collegami|mettimi in contatto con|mettetemi in contatto con|mi (?:passi|passa|passate|puoi passare|potete passare|puo passare|trasferisca|trasferisci|trasferite|colleghi|collega|collegate|metta in contatto con|metti in contatto con|mettete in contatto con))' +
      '(?: (?:per favore|subito))?(?: (?:con|a|al|alla|all|col))? {DET}?{ADJ}?{ANY}{E}',
    '{S}(?:voglio|vorrei|vogliamo|bisogno di|mi serve|chiedo|desidero|preferisco|pretendo|esigo)(?: (?:essere (?:messo|messa) in contatto con|essere (?:assistito|assistita|trasferito|trasferita) da))? {DET}{ADJ}?{STRONG}' +
      '(?=$| \\.| (?:per favore|per piacere|grazie|subito|ora|adesso|che (?:mi|possa)|vero|vera|reale|non (?:un|una) (?:bot|robot))(?: |$))',
    '{S}c e (?:(?:un|una|qualche) )?{ADJ}?(?:qualcuno|operatore|persona|umano|essere umano|agente)(?: (?:reale|vera|vero|umano))?(?=$| \\.| (?:li|disponibile|con cui|che (?:mi|possa))(?: |$))',
    '^(?:(?:ciao|per favore) )?{DET}?{ADJ}?(?:{STRONG}|servizio clienti|assistenza clienti)(?: (?:per favore|per piacere|grazie|subito|\\.))*$',
  ],
  'non mai senza',
);

// ---------------------------------------------------------------- Dutch
const NL_STRONG =
  '(?:medewerker(?:s|ster)?|mens(?:en)?|persoon|adviseur|agent|operator|servicemedewerker|supportmedewerker|klantenservicemedewerker|specialist|leidinggevende|manager|vertegenwoordiger)';
const NL = build(
  {
    DET: '(?:(?:een|de|het|uw|jullie|een van jullie|een van uw) )',
    ADJ: '(?:(?:echte|echt|menselijke|levende) )',
    STRONG: NL_STRONG,
    ANY: `(?:${NL_STRONG}|iemand(?: (?:van (?:de )?(?:klantenservice|support|het team)|echts))?|(?:de )?(?:klantenservice|klantendienst|helpdesk|servicedesk|support))`,
  },
  [
    '{S}met {DET}?{ADJ}?{ANY}(?: [a-z]+){0,2} (?:spreken|praten|chatten|bellen|communiceren|verbonden|in contact){E}',
    '{S}(?:spreken|praten|chatten|contact)(?: (?:graag|nu|direct|even))* met {DET}?{ADJ}?{ANY}{E}',
    '{S}(?:een {ADJ}?{STRONG}|iemand|de klantenservice)(?: (?:graag|even|nu))? (?:spreken|bereiken){E}',
    '{S}(?:verbind|verbindt|doorverbinden|doorschakelen|doorsturen|verbinden|zet)(?: (?:me|mij|ons|u))?(?: (?:door|even|graag|nu))* (?:met|naar|door naar) {DET}?{ADJ}?{ANY}{E}',
    '{S}(?:wil|willen|wilt|graag|zou graag|heb|hebben|nodig|vraag|eis)(?: (?:graag|nu|even|alstublieft))* {DET}{ADJ}?{STRONG}' +
      '(?=$| \\.| (?:spreken|alstublieft|aub|a u b|graag|nu|nodig|die mij|aan de lijn|alsjeblieft)(?: |$))',
    '^{DET}?{ADJ}?(?:{STRONG}|klantenservice)(?: (?:alstublieft|aub|graag|nu|alsjeblieft|\\.))*$',
  ],
  'niet nooit zonder geen',
);

const LANGUAGES: readonly LanguagePatterns[] = [EN, ES, FR, DE, PT, IT, NL];

/** Is one of the (up to) three words before `index`, in the same clause, a negation? */
function isNegated(text: string, index: number, negations: ReadonlySet<string>): boolean {
  let end = index;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end -= 1;
  for (let seen = 0; seen < 3 && end > 0; seen += 1) {
    let start = end;
    while (start > 0 && text.charCodeAt(start - 1) !== 32) start -= 1;
    const word = text.slice(start, end);
    if (word === '.') return false;
    if (negations.has(word)) return true;
    end = start;
    while (end > 0 && text.charCodeAt(end - 1) === 32) end -= 1;
  }
  return false;
}

/** The same check on text already passed through `matchText` (the assistant normalises once). */
export function detectHumanRequestInMatchText(text: string): boolean {
  if (text === '') return false;
  for (const language of LANGUAGES) {
    for (const pattern of language.patterns) {
      pattern.lastIndex = 0;
      let match = pattern.exec(text);
      while (match !== null) {
        if (!isNegated(text, match.index, language.negations)) return true;
        // Zero-length matches cannot happen (every pattern consumes a noun); still, never loop.
        pattern.lastIndex = match.index + Math.max(1, match[0].length);
        match = pattern.exec(text);
      }
    }
  }
  return false;
}

/** Does the customer ask to talk to a person (any supported language)? */
export function detectHumanRequest(text: string): boolean {
  return detectHumanRequestInMatchText(matchText(text));
}
