// The Privacy Center's words in English and German, chosen from the browser's language
// (navigator.languages, first match wins; English otherwise). Server error messages stay as
// the server wrote them.

const en = {
  title: "Privacy Center",
  intro: "Use this page to exercise your privacy rights. Choose what you would like us to do.",
  choose: "What would you like to do?",
  yourDetails: "Your details",
  change: "Change",
  email: "Email address",
  emailHint: "We send a verification code to this address.",
  name: "Full name",
  phone: "Phone number",
  jurisdiction: "Where do you live?",
  jurisdictionAny: "Not specified",
  requesterType: "I am",
  requester_consumer: "a customer or user",
  requester_employee: "an employee or former employee",
  requester_applicant: "a job applicant",
  requester_authorized_agent: "an authorized agent acting for someone else",
  agentNote:
    "As an authorized agent, please describe in the details whom you act for, and attach your proof of authority.",
  proof: "Proof of authority",
  proofHint: "A signed authorization or power of attorney: PDF, PNG or JPEG, at most 5 MB.",
  proofRequired: "Please attach your proof of authority.",
  proofTooLarge: "The file is larger than 5 MB.",
  proofWrongType: "Please attach a PDF, PNG or JPEG file.",
  proofFailed:
    "Your request was submitted, but the proof of authority could not be stored: {error} You can upload it again on your request's status page.",
  proofStored: "We have your proof of authority: {name}.",
  proofMissing: "We do not have your proof of authority yet.",
  proofUpload: "Upload proof",
  proofReplace: "Replace proof",
  proofSaved: "Your proof of authority was stored.",
  details: "Details (optional)",
  corrections: "What is wrong, and what should it say?",
  correctionsHint: "For example: My address is 1 Main Street, not 10 Main Street.",
  submit: "Submit request",
  sending: "Sending…",
  required: "required",
  emailRequired: "Please enter your email address.",
  verifyTitle: "Check your email",
  verifyText: "We sent a 6-digit code to {email}. Enter it here to confirm the request.",
  code: "Verification code",
  verify: "Verify",
  doneTitle: "Thank you, your request is confirmed",
  doneText: "Your reference is {reference}. Keep it for any questions about your request.",
  followLink: "Follow your request",
  statusTitle: "Your request {reference}",
  status: "Status",
  received: "Received",
  due: "Answer due by",
  outcome: "Outcome",
  status_unverified: "Waiting for email verification",
  status_review: "Being reviewed",
  status_process: "Being processed",
  status_reply: "Answer being prepared",
  status_closed: "Closed",
  messages: "Messages",
  noMessages: "No messages yet.",
  you: "You",
  privacyTeam: "Privacy team",
  writeMessage: "Write to the privacy team",
  send: "Send message",
  sent: "Your message was sent.",
  withdraw: "Withdraw this request",
  withdrawConfirm: "Do you really want to withdraw this request? This cannot be undone.",
  withdrawYes: "Yes, withdraw",
  cancel: "Cancel",
  withdrawn: "Your request was withdrawn.",
  verifying: "Verifying your email address…",
  verifiedByLink: "Your email address is verified. Thank you!",
  loading: "Loading…",
  badLink: "This link is not valid. Please use the link from our latest email.",
  language: "Language",
};

export type Words = typeof en;

const de: Words = {
  title: "Datenschutz-Center",
  intro:
    "Auf dieser Seite können Sie Ihre Datenschutzrechte ausüben. Wählen Sie, was wir für Sie tun sollen.",
  choose: "Was möchten Sie tun?",
  yourDetails: "Ihre Angaben",
  change: "Ändern",
  email: "E-Mail-Adresse",
  emailHint: "Wir senden einen Bestätigungscode an diese Adresse.",
  name: "Vollständiger Name",
  phone: "Telefonnummer",
  jurisdiction: "Wo wohnen Sie?",
  jurisdictionAny: "Keine Angabe",
  requesterType: "Ich bin",
  requester_consumer: "Kundin oder Kunde bzw. Nutzer",
  requester_employee: "(ehemalige) Beschäftigte",
  requester_applicant: "Bewerberin oder Bewerber",
  requester_authorized_agent: "bevollmächtigt und handle für eine andere Person",
  agentNote:
    "Als Bevollmächtigte beschreiben Sie bitte in den Details, für wen Sie handeln, und fügen Sie den Nachweis der Vollmacht bei.",
  proof: "Nachweis der Vollmacht",
  proofHint: "Eine unterschriebene Vollmacht: PDF, PNG oder JPEG, höchstens 5 MB.",
  proofRequired: "Bitte fügen Sie den Nachweis der Vollmacht bei.",
  proofTooLarge: "Die Datei ist größer als 5 MB.",
  proofWrongType: "Bitte fügen Sie eine PDF-, PNG- oder JPEG-Datei bei.",
  proofFailed:
    "Ihre Anfrage wurde gesendet, aber der Nachweis der Vollmacht konnte nicht gespeichert werden: {error} Sie können ihn auf der Statusseite Ihrer Anfrage erneut hochladen.",
  proofStored: "Ihr Nachweis der Vollmacht liegt uns vor: {name}.",
  proofMissing: "Ihr Nachweis der Vollmacht liegt uns noch nicht vor.",
  proofUpload: "Nachweis hochladen",
  proofReplace: "Nachweis ersetzen",
  proofSaved: "Ihr Nachweis der Vollmacht wurde gespeichert.",
  details: "Details (optional)",
  corrections: "Was ist falsch, und wie ist es richtig?",
  correctionsHint: "Zum Beispiel: Meine Adresse ist Hauptstraße 1, nicht Hauptstraße 10.",
  submit: "Anfrage senden",
  sending: "Wird gesendet …",
  required: "Pflichtfeld",
  emailRequired: "Bitte geben Sie Ihre E-Mail-Adresse ein.",
  verifyTitle: "Prüfen Sie Ihre E-Mails",
  verifyText:
    "Wir haben einen 6-stelligen Code an {email} gesendet. Geben Sie ihn hier ein, um die Anfrage zu bestätigen.",
  code: "Bestätigungscode",
  verify: "Bestätigen",
  doneTitle: "Danke, Ihre Anfrage ist bestätigt",
  doneText: "Ihr Aktenzeichen ist {reference}. Bitte geben Sie es bei Rückfragen an.",
  followLink: "Anfrage verfolgen",
  statusTitle: "Ihre Anfrage {reference}",
  status: "Status",
  received: "Eingegangen",
  due: "Antwort bis",
  outcome: "Ergebnis",
  status_unverified: "Wartet auf Bestätigung der E-Mail-Adresse",
  status_review: "Wird geprüft",
  status_process: "Wird bearbeitet",
  status_reply: "Antwort wird vorbereitet",
  status_closed: "Abgeschlossen",
  messages: "Nachrichten",
  noMessages: "Noch keine Nachrichten.",
  you: "Sie",
  privacyTeam: "Datenschutzteam",
  writeMessage: "Nachricht an das Datenschutzteam",
  send: "Nachricht senden",
  sent: "Ihre Nachricht wurde gesendet.",
  withdraw: "Anfrage zurückziehen",
  withdrawConfirm:
    "Möchten Sie diese Anfrage wirklich zurückziehen? Das kann nicht rückgängig gemacht werden.",
  withdrawYes: "Ja, zurückziehen",
  cancel: "Abbrechen",
  withdrawn: "Ihre Anfrage wurde zurückgezogen.",
  verifying: "Ihre E-Mail-Adresse wird bestätigt …",
  verifiedByLink: "Ihre E-Mail-Adresse ist bestätigt. Vielen Dank!",
  loading: "Wird geladen …",
  badLink: "Dieser Link ist ungültig. Bitte nutzen Sie den Link aus unserer letzten E-Mail.",
  language: "Sprache",
};

export const kLanguages: Record<string, Words> = { en, de };

// The first of the browser's languages we speak ("de-AT" → "de"), else English.
export function PickLanguage(preferred: readonly string[]): string {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split("-")[0];
    if (base in kLanguages) return base;
  }
  return "en";
}

export function Fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");
}

// The built-in request types in German. The server names them in English (an admin may rename
// or describe them): a name or description still equal to the built-in English text is shown
// in the reader's language, anything an admin wrote is shown as written.
interface TypeText {
  name: string;
  description: string;
}
const kBuiltinTypes: Record<string, { en: TypeText; de: TypeText }> = {
  deletion: {
    en: { name: "Delete my data", description: "Ask us to erase the personal data we hold about you." },
    de: {
      name: "Meine Daten löschen",
      description: "Bitten Sie uns, die personenbezogenen Daten zu löschen, die wir über Sie speichern.",
    },
  },
  copy: {
    en: {
      name: "Get a copy of my data",
      description: "Receive a copy of the personal data we hold about you, in a portable format.",
    },
    de: {
      name: "Eine Kopie meiner Daten erhalten",
      description:
        "Erhalten Sie eine Kopie der personenbezogenen Daten, die wir über Sie speichern, in einem übertragbaren Format.",
    },
  },
  do_not_sell: {
    en: {
      name: "Do not sell or share my personal information",
      description: "Opt out of the sale or sharing of your personal information.",
    },
    de: {
      name: "Meine personenbezogenen Daten nicht verkaufen oder weitergeben",
      description: "Widersprechen Sie dem Verkauf oder der Weitergabe Ihrer personenbezogenen Daten.",
    },
  },
  do_not_mail: {
    en: { name: "Stop marketing mail", description: "Stop receiving marketing email and mail from us." },
    de: {
      name: "Keine Werbung mehr",
      description: "Erhalten Sie von uns keine Werbe-E-Mails und keine Werbepost mehr.",
    },
  },
  right_to_edit: {
    en: {
      name: "Correct my data",
      description: "Tell us which of your personal data is wrong, and we will correct it.",
    },
    de: {
      name: "Meine Daten berichtigen",
      description: "Teilen Sie uns mit, welche Ihrer personenbezogenen Daten falsch sind, und wir berichtigen sie.",
    },
  },
};

// `type` with its name and description in `lang` where they are the built-in texts.
export function LocalType<T extends { key: string; name: string; description: string }>(type: T, lang: string): T {
  const builtin = kBuiltinTypes[type.key];
  const local = builtin ? (builtin as Record<string, TypeText>)[lang] : undefined;
  if (!builtin || !local || lang === "en") return type;
  return {
    ...type,
    name: type.name === builtin.en.name ? local.name : type.name,
    description: type.description === builtin.en.description ? local.description : type.description,
  };
}
