// What the queue says: the position and estimated-wait announcement, the call-back offer and its confirmation, the
// words to the customer who is called back and the whisper to the agent — in English, German, French or Spanish
// (the language of the call; other languages hear English). The estimate is a pure function, so it is unit-tested.

export interface Estimate {
  position: number;
  /** Agents signed in to the queue (busy or not). */
  agents: number;
  /** Mean seconds an agent spends on one caller today (connected until free again); undefined before the first. */
  averageHandleSeconds?: number;
}

/** Default handle time before the queue has measured one (3 minutes). */
export const DEFAULT_HANDLE_SECONDS = 180;

/**
 * Seconds until this caller is likely answered: the callers ahead of them and they themselves, shared between the
 * agents, each taking the average handle time (undefined when no agent is signed in: no estimate is announced).
 */
export function estimatedWaitSeconds(e: Estimate): number | undefined {
  if (e.agents <= 0) return undefined;
  const rounds = Math.ceil(e.position / e.agents);
  return rounds * (e.averageHandleSeconds ?? DEFAULT_HANDLE_SECONDS);
}

/** Whole minutes as announced: at least 1, rounded up. */
export function announcedMinutes(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}

interface Words {
  next: string;
  position: (n: number) => string;
  wait: (minutes: number) => string;
  callbackOffer: (key: string) => string;
  callbackTaken: string;
  callbackHello: (queue: string) => string;
  whisper: (queue: string, minutes: number, callback: boolean) => string;
}

const KEY_WORDS: Record<string, Record<string, string>> = {
  en: { '*': 'star', '#': 'the pound key' },
  de: { '*': 'Stern', '#': 'Raute' },
  fr: { '*': 'étoile', '#': 'dièse' },
  es: { '*': 'asterisco', '#': 'almohadilla' },
};

const WORDS: Record<string, Words> = {
  en: {
    next: 'You are next in line.',
    position: (n) => `You are number ${n} in line.`,
    wait: (m) => (m === 1 ? 'Your wait is about one minute.' : `Your wait is about ${m} minutes.`),
    callbackOffer: (key) => `To be called back instead, without losing your place, press ${key}.`,
    callbackTaken: 'Thank you. You keep your place, and we will call you back when an agent is free. Goodbye.',
    callbackHello: (q) => `Hello, this is your call-back from ${q}. Connecting you to an agent now.`,
    whisper: (q, m, cb) => `${q} queue: ${cb ? 'a call-back to a customer' : 'a caller'} who waited ${m === 1 ? 'one minute' : `${m} minutes`}.`,
  },
  de: {
    next: 'Sie sind als Nächstes an der Reihe.',
    position: (n) => `Sie sind an Position ${n} in der Warteschlange.`,
    wait: (m) => (m === 1 ? 'Ihre Wartezeit beträgt etwa eine Minute.' : `Ihre Wartezeit beträgt etwa ${m} Minuten.`),
    callbackOffer: (key) => `Für einen Rückruf, ohne Ihren Platz zu verlieren, drücken Sie ${key}.`,
    callbackTaken: 'Vielen Dank. Sie behalten Ihren Platz, und wir rufen Sie zurück, sobald ein Mitarbeiter frei ist. Auf Wiederhören.',
    callbackHello: (q) => `Guten Tag, hier ist Ihr Rückruf von ${q}. Wir verbinden Sie jetzt mit einem Mitarbeiter.`,
    whisper: (q, m, cb) => `Warteschlange ${q}: ${cb ? 'ein Rückruf' : 'ein Anrufer'}, ${m === 1 ? 'eine Minute' : `${m} Minuten`} gewartet.`,
  },
  fr: {
    next: 'Vous êtes le prochain.',
    position: (n) => `Vous êtes en position ${n} dans la file.`,
    wait: (m) => (m === 1 ? 'Votre attente est d’environ une minute.' : `Votre attente est d’environ ${m} minutes.`),
    callbackOffer: (key) => `Pour être rappelé sans perdre votre place, appuyez sur ${key}.`,
    callbackTaken: 'Merci. Vous gardez votre place et nous vous rappellerons dès qu’un conseiller sera libre. Au revoir.',
    callbackHello: (q) => `Bonjour, voici votre rappel de ${q}. Nous vous mettons en relation avec un conseiller.`,
    whisper: (q, m, cb) => `File ${q} : ${cb ? 'un rappel' : 'un appelant'}, ${m === 1 ? 'une minute' : `${m} minutes`} d’attente.`,
  },
  es: {
    next: 'Usted es el siguiente.',
    position: (n) => `Usted está en la posición ${n} de la cola.`,
    wait: (m) => (m === 1 ? 'Su espera es de aproximadamente un minuto.' : `Su espera es de aproximadamente ${m} minutos.`),
    callbackOffer: (key) => `Para que le llamemos sin perder su lugar, pulse ${key}.`,
    callbackTaken: 'Gracias. Conserva su lugar y le llamaremos cuando haya un agente libre. Adiós.',
    callbackHello: (q) => `Hola, le devolvemos la llamada de ${q}. Le pasamos con un agente ahora.`,
    whisper: (q, m, cb) => `Cola ${q}: ${cb ? 'una devolución de llamada' : 'una persona'} que esperó ${m === 1 ? 'un minuto' : `${m} minutos`}.`,
  },
};

function wordsFor(language: string): { words: Words; keys: Record<string, string>; language: string } {
  const primary = language.split('-')[0]!.toLowerCase();
  const known = WORDS[primary];
  return known ? { words: known, keys: KEY_WORDS[primary]!, language } : { words: WORDS.en!, keys: KEY_WORDS.en!, language: 'en-US' };
}

/** A text to speak and the language it is in (the voice follows it). */
export interface Spoken {
  text: string;
  language: string;
}

export function positionAnnouncement(language: string, parts: { position?: number; waitSeconds?: number; callbackKey?: string }): Spoken | undefined {
  const { words, keys, language: spokenIn } = wordsFor(language);
  const sentences: string[] = [];
  if (parts.position !== undefined) sentences.push(parts.position <= 1 ? words.next : words.position(parts.position));
  if (parts.waitSeconds !== undefined) sentences.push(words.wait(announcedMinutes(parts.waitSeconds)));
  if (parts.callbackKey !== undefined) sentences.push(words.callbackOffer(keys[parts.callbackKey] ?? parts.callbackKey));
  return sentences.length === 0 ? undefined : { text: sentences.join(' '), language: spokenIn };
}

export function callbackTaken(language: string): Spoken {
  const { words, language: spokenIn } = wordsFor(language);
  return { text: words.callbackTaken, language: spokenIn };
}

export function callbackHello(language: string, queue: string): Spoken {
  const { words, language: spokenIn } = wordsFor(language);
  return { text: words.callbackHello(queue), language: spokenIn };
}

export function agentWhisper(language: string, queue: string, waitedSeconds: number, callback: boolean): Spoken {
  const { words, language: spokenIn } = wordsFor(language);
  return { text: words.whisper(queue, announcedMinutes(waitedSeconds), callback), language: spokenIn };
}
