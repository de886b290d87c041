import type { ShopProfile } from '../catalog';
import type { Language } from '../i18n';
import type { CitedPromise } from './cite';
import { TITLES, requestTitle } from './titles';

export { requestTitle };
import { ARTICLES, type Customer, type FollowUp, type RequestType, type RightsRequestRecord, type TrackingIdentifier } from './types';

export interface LetterInput {
  type: RequestType;
  language: Language;
  shop: ShopProfile;
  customer: Customer;
  /** Identifiers seen on the shop (access and objection only use them). */
  identifiers: TrackingIdentifier[];
  /** Companies the extension saw receiving data from the shop's pages. */
  recipientsSeen: string[];
  /** What is wrong and how it should read (rectification). */
  correction?: string;
  /** The answer date, already formatted for the language. */
  dueDate: string;
  /** Promises of the privacy policy the extension saw broken, to cite in an objection. */
  brokenPromises?: CitedPromise[];
}

export interface Letter {
  subject: string;
  body: string;
}

/**
 * The policy's own words the letters hold the shop to (privacybeleid, "Jouw rechten"): an answer
 * within a month, and invoices kept up to five years.
 */
const POLICY_ANSWER = 'zo spoedig mogelijk en uiterlijk binnen een maand op jouw verzoek reageren';
const POLICY_RETENTION = 'volgens de wetgeving zijn wij verplicht om bepaalde gegevens tot 5 jaar te bewaren. Het gaat daarbij onder meer om facturen';

/** A request letter, written by us, citing the GDPR article and the shop's own promises. */
export function composeLetter(input: LetterInput): Letter {
  const { type, language, customer } = input;
  const article = ARTICLES[type];
  const law = language === 'nl' ? `art. ${article} AVG` : `Art. ${article} GDPR`;
  const subject = `${TITLES[language][type]} (${law}) – ${customer.name}`;
  const body = (language === 'nl' ? dutchBody : englishBody)(input).replace(/\n{3,}/g, '\n\n').trim();
  return { subject, body: `${body}\n` };
}

function identification(input: LetterInput, nl: boolean): string {
  const { customer, identifiers, type } = input;
  const lines = [
    `- ${nl ? 'naam' : 'name'}: ${customer.name}`,
    `- ${nl ? 'e-mailadres' : 'e-mail address'}: ${customer.email}`,
    ...(customer.orderNumber ? [`- ${nl ? 'bestelnummer' : 'order number'}: ${customer.orderNumber}`] : []),
  ];
  // Tracking identifiers only where they help the shop find data it holds under them.
  if (type === 'access' || type === 'objection' || type === 'erasure') {
    for (const id of identifiers) lines.push(`- ${id.product} (${nl ? 'cookie' : 'cookie'} ${id.cookie}): ${id.value}`);
  }
  return lines.join('\n');
}

function recipients(input: LetterInput, nl: boolean): string {
  if (input.recipientsSeen.length === 0 || !['access', 'objection', 'erasure'].includes(input.type)) return '';
  const list = input.recipientsSeen.map((r) => `- ${r}`).join('\n');
  return nl
    ? `Op uw website zag ik dat gegevens uit mijn browser naar deze bedrijven gingen:\n${list}\nIk verzoek u in het bijzonder aan te geven welke persoonsgegevens van mij u met hen deelt of hebt gedeeld.`
    : `On your website I saw data from my browser go to these companies:\n${list}\nIn particular, please tell me which of my personal data you share or have shared with them.`;
}

/**
 * The policy's own promises the shop was seen breaking, each with when, where and what was seen: in
 * the letter's language, the sentence itself always in the policy's Dutch.
 */
export function citedPromises(cited: readonly CitedPromise[] | undefined, nl: boolean, controller?: string): string {
  if (!cited?.length) return '';
  const items = cited.map((c) =>
    nl
      ? `- U schrijft: "${c.quote}"\n  Op ${c.date} (${c.page}): ${c.evidence}`
      : `- You write: "${c.quote}"${c.rendering ? ` (in English: "${c.rendering}")` : ''}\n  On ${c.date} (${c.page}): ${c.evidence}`,
  );
  // To the shop itself "your policy"; to its data-protection contact and the authority, the shop by name.
  const lead = nl
    ? controller
      ? `Het privacybeleid van ${controller} doet beloften die de website niet nakomt. Dit zag ik zelf:`
      : 'Uw privacybeleid doet beloften die uw website niet nakomt. Dit zag ik zelf:'
    : controller
      ? `The privacy policy of ${controller} makes promises that its website does not keep. This is what I saw myself:`
      : 'Your privacy policy makes promises that your website does not keep. This is what I saw myself:';
  return `${lead}\n${items.join('\n')}`;
}

/** Only an objection cites the broken promises: they are grounds for it. */
const objectionCitations = (input: LetterInput, nl: boolean) => {
  const text = input.type === 'objection' ? citedPromises(input.brokenPromises, nl) : '';
  return text ? `${text}\n${nl ? 'Ook daarom maak ik bezwaar.' : 'This too is why I object.'}` : '';
};

function dutchBody(input: LetterInput): string {
  const { type, shop, customer, dueDate } = input;
  const controller = shop.controller.name;
  const intro: Record<RequestType, string> = {
    access: `Op grond van artikel 15 van de Algemene Verordening Gegevensbescherming (AVG) verzoek ik ${controller} mij te laten weten of u persoonsgegevens van mij verwerkt, en zo ja, mij een kopie daarvan te sturen met:
- de doeleinden van de verwerking;
- de ontvangers aan wie u mijn gegevens hebt verstrekt of zult verstrekken, in het bijzonder in derde landen;
- hoe lang u ze bewaart;
- waar ze vandaan komen, voor zover u ze niet bij mij hebt verzameld;
- of er geautomatiseerde besluitvorming of profilering plaatsvindt.`,
    erasure: `Op grond van artikel 17 AVG verzoek ik ${controller} alle persoonsgegevens die u van mij verwerkt te wissen, of te anonimiseren zoals uw privacybeleid aanbiedt, en ontvangers aan wie u ze hebt verstrekt hiervan op de hoogte te brengen (artikel 19 AVG).
Uw privacybeleid zegt: "${POLICY_RETENTION}". Voor gegevens die u op grond van een wettelijke plicht moet bewaren, verzoek ik u de verwerking te beperken tot die plicht (artikel 18 AVG) en mij te laten weten om welke gegevens het gaat en tot wanneer u ze bewaart.`,
    objection: `Op grond van artikel 21 AVG maak ik bezwaar tegen de verwerking van mijn persoonsgegevens voor direct marketing, met inbegrip van profilering, en tegen het verstrekken van mijn gegevens aan derden voor marketingdoeleinden. Uw privacybeleid zegt dat ik daar op ieder gewenst moment bezwaar tegen kan maken. Voor zover ik voor zulke verwerking toestemming heb gegeven, trek ik die hierbij in (artikel 7, lid 3, AVG).
Ik verzoek u deze verwerking te staken en de ontvangers aan wie u mijn gegevens voor marketing hebt verstrekt hiervan op de hoogte te brengen.`,
    rectification: `Op grond van artikel 16 AVG verzoek ik ${controller} de volgende onjuiste persoonsgegevens van mij te corrigeren:
${input.correction?.trim() || '[beschrijf welke gegevens onjuist zijn en hoe ze moeten luiden]'}`,
    portability: `Op grond van artikel 20 AVG verzoek ik ${controller} mij de persoonsgegevens die ik u heb verstrekt, en die u verwerkt op grond van mijn toestemming of van onze overeenkomst, te sturen in een gestructureerde, gangbare en machineleesbare vorm. Uw privacybeleid belooft dat ik mijn gegevens dan "in een gangbaar format" ontvang.`,
    withdrawal: `Op grond van artikel 7, lid 3, AVG trek ik hierbij mijn toestemming in voor elke verwerking van mijn persoonsgegevens die op toestemming berust, waaronder het plaatsen en uitlezen van cookies voor statistiek en marketing en het doorgeven van mijn gegevens aan samenwerkingspartners. Het intrekken van toestemming moet even eenvoudig zijn als het geven ervan; ik verzoek u deze verwerking vanaf nu te staken.`,
  };
  return `Aan: ${controller}
${shop.controller.address}

Geachte heer, mevrouw,

${intro[type]}

${objectionCitations(input, true)}

Om mij te identificeren en mijn gegevens te vinden, kunt u het volgende gebruiken:
${identification(input, true)}

${recipients(input, true)}

Uw privacybeleid belooft dat u "${POLICY_ANSWER}"; dat is ook de termijn van artikel 12, lid 3, AVG. Ik zie uw antwoord dus uiterlijk ${dueDate} tegemoet, per e-mail aan ${customer.email}.

Met vriendelijke groet,

${customer.name}`;
}

function englishBody(input: LetterInput): string {
  const { type, shop, customer, dueDate } = input;
  const controller = shop.controller.name;
  const intro: Record<RequestType, string> = {
    access: `Under Article 15 of the General Data Protection Regulation (GDPR), I ask ${controller} to confirm whether you process personal data about me and, if so, to send me a copy of it together with:
- the purposes of the processing;
- the recipients to whom my data have been or will be disclosed, in particular in third countries;
- how long you keep it;
- where it came from, where you did not collect it from me;
- whether any automated decision-making or profiling takes place.`,
    erasure: `Under Article 17 GDPR, I ask ${controller} to erase all personal data you process about me, or to anonymise it as your privacy policy offers, and to tell any recipients to whom you disclosed it (Article 19 GDPR).
Your privacy policy says that by law you must keep certain data, invoices among them, for up to 5 years. For data you must keep under a legal obligation, I ask you to restrict the processing to that obligation (Article 18 GDPR) and to tell me which data this is and until when you keep it.`,
    objection: `Under Article 21 GDPR, I object to the processing of my personal data for direct marketing, including profiling, and to the disclosure of my data to third parties for marketing purposes. Your privacy policy says I may object to this at any time. In so far as I gave consent to such processing, I hereby withdraw it (Article 7(3) GDPR).
Please stop this processing and inform the recipients to whom you disclosed my data for marketing.`,
    rectification: `Under Article 16 GDPR, I ask ${controller} to correct the following inaccurate personal data about me:
${input.correction?.trim() || '[describe which data is wrong and what it should say]'}`,
    portability: `Under Article 20 GDPR, I ask ${controller} to send me the personal data I provided to you, which you process on the basis of my consent or of our contract, in a structured, commonly used and machine-readable format. Your privacy policy promises that I will then receive my data "in a common format".`,
    withdrawal: `Under Article 7(3) GDPR, I hereby withdraw my consent to any processing of my personal data that rests on consent, including setting and reading cookies for statistics and marketing and passing my data on to partners. Withdrawing consent must be as easy as giving it; please stop this processing from now on.`,
  };
  return `To: ${controller}
${shop.controller.address}

Dear Sir or Madam,

${intro[type]}

${objectionCitations(input, false)}

To identify me and find my data, you can use:
${identification(input, false)}

${recipients(input, false)}

Your privacy policy promises to answer "as soon as possible and at the latest within one month"; that is also the time limit of Article 12(3) GDPR. I therefore look forward to your answer by ${dueDate}, by e-mail to ${customer.email}.

Yours faithfully,

${customer.name}`;
}

export interface FollowUpInput {
  step: FollowUp;
  request: RightsRequestRecord;
  shop: ShopProfile;
  customer: Customer;
  language: Language;
  sentDate: string;
  dueDate: string;
  /** Earlier follow-ups, formatted ("reminder on 3 March 2027"). */
  history: string[];
  /** Other promises of the privacy policy the extension saw broken, to cite in a complaint. */
  brokenPromises?: CitedPromise[];
}

/**
 * The next step when the shop does not answer: a reminder to the shop, then a complaint to its
 * data-protection contact, then the facts the Autoriteit Persoonsgegevens' complaint form asks for.
 * The AP requires that you contacted the organisation first: the letters say when you did.
 */
export function composeFollowUp(input: FollowUpInput): Letter & { recipient: string } {
  const { step, request, shop, customer, language, sentDate, dueDate, history } = input;
  const nl = language === 'nl';
  // A complaint cites the other promises seen broken: more facts for the data-protection contact and the AP.
  const cited = citedPromises(input.brokenPromises, nl, shop.controller.name);
  const alsoBroken = cited ? `\n${cited}\n` : '';
  const title = requestTitle(request.type, language);
  const law = nl ? `art. ${ARTICLES[request.type]} AVG` : `Art. ${ARTICLES[request.type]} GDPR`;
  const earlier = history.length ? `\n${nl ? 'Eerdere stappen' : 'Earlier steps'}:\n${history.map((h) => `- ${h}`).join('\n')}\n` : '';
  if (step === 'reminder') {
    return {
      // A request filed through the shop's web form is followed up by e-mail to its contact address.
      recipient: request.channel === 'shop-form' ? shop.contactEmail : request.recipient,
      subject: nl ? `Herinnering: ${title.toLowerCase()} (${law}) van ${sentDate}` : `Reminder: ${title.toLowerCase()} (${law}) of ${sentDate}`,
      body: nl
        ? `Geachte heer, mevrouw,\n\nOp ${sentDate} stuurde ik u een ${title.toLowerCase()} (${law}). Uw antwoord had mij uiterlijk ${dueDate} moeten bereiken (artikel 12, lid 3, AVG, en uw eigen privacybeleid), maar ik heb niets ontvangen.\n${earlier}\nIk verzoek u alsnog binnen 14 dagen te antwoorden. Zonder antwoord wend ik mij tot uw functionaris voor gegevensbescherming en daarna tot de Autoriteit Persoonsgegevens.\n\nMijn oorspronkelijke verzoek staat hieronder.\n\nMet vriendelijke groet,\n\n${customer.name}\n\n---\n${request.body}`
        : `Dear Sir or Madam,\n\nOn ${sentDate} I sent you a ${title.toLowerCase()} (${law}). Your answer was due by ${dueDate} (Article 12(3) GDPR, and your own privacy policy), but I have received nothing.\n${earlier}\nPlease answer within 14 days. Without an answer I will turn to your data-protection contact and then to the Dutch data protection authority (Autoriteit Persoonsgegevens).\n\nMy original request follows below.\n\nYours faithfully,\n\n${customer.name}\n\n---\n${request.body}`,
    };
  }
  if (step === 'dpo-complaint') {
    return {
      recipient: shop.dataProtectionEmail,
      subject: nl ? `Klacht: geen antwoord op ${title.toLowerCase()} (${law}) van ${sentDate}` : `Complaint: no answer to ${title.toLowerCase()} (${law}) of ${sentDate}`,
      body: nl
        ? `Geachte functionaris voor gegevensbescherming,\n\nHet privacybeleid van ${shop.controller.name} noemt u als contact voor klachten. Op ${sentDate} stuurde ik ${shop.controller.name} een ${title.toLowerCase()} (${law}) via ${request.recipient}. De termijn om te antwoorden liep af op ${dueDate}.\n${earlier}${alsoBroken}\nIk verzoek u ervoor te zorgen dat mijn verzoek alsnog binnen 14 dagen wordt beantwoord. Anders dien ik een klacht in bij de Autoriteit Persoonsgegevens.\n\nMet vriendelijke groet,\n\n${customer.name}\n\n---\n${request.body}`
        : `Dear data-protection contact,\n\nThe privacy policy of ${shop.controller.name} names you as the contact for complaints. On ${sentDate} I sent ${shop.controller.name} a ${title.toLowerCase()} (${law}) through ${request.recipient}. The time to answer ran out on ${dueDate}.\n${earlier}${alsoBroken}\nPlease make sure my request is answered within 14 days. Otherwise I will file a complaint with the Autoriteit Persoonsgegevens.\n\nYours faithfully,\n\n${customer.name}\n\n---\n${request.body}`,
    };
  }
  return {
    recipient: shop.supervisoryAuthority.complaintUrl,
    subject: nl ? `Klacht over ${shop.controller.name}: geen antwoord op ${title.toLowerCase()}` : `Complaint about ${shop.controller.name}: no answer to ${title.toLowerCase()}`,
    body: nl
      ? `Feiten voor het klachtformulier van de ${shop.supervisoryAuthority.name}:\n\n- Organisatie: ${shop.controller.name}, ${shop.controller.address} (btw ${shop.controller.vatNumber})\n- Wat ik vroeg: ${title.toLowerCase()} (${law})\n- Wanneer: ${sentDate}\n- Via: ${request.recipient}\n- Antwoord verwacht uiterlijk: ${dueDate}\n- Ontvangen antwoord: geen${earlier}${alsoBroken}\nMijn oorspronkelijke verzoek:\n\n${request.body}`
      : `Facts for the complaint form of the ${shop.supervisoryAuthority.name}:\n\n- Organisation: ${shop.controller.name}, ${shop.controller.address} (VAT ${shop.controller.vatNumber})\n- What I asked: ${title.toLowerCase()} (${law})\n- When: ${sentDate}\n- Through: ${request.recipient}\n- Answer due by: ${dueDate}\n- Answer received: none${earlier}${alsoBroken}\nMy original request:\n\n${request.body}`,
  };
}
