// What emulated callers say to the spoken front desk, written the way people talk (never the intent word alone): six
// or more per intent of SAMPLE_INTENT_PHRASES, upset callers, unknown topics and mumbling. The understanding specs
// match them as text, the recognition spec speaks them with eSpeak NG through PocketSphinx, and the end-to-end tests
// have the emulator say them.

export type SampleIntent = 'billing' | 'support' | 'sales' | 'operator';

export const INTENT_SENTENCES: Readonly<Record<SampleIntent, readonly string[]>> = {
  billing: [
    'I think I was charged twice on my last invoice',
    'there is a charge on my bill that I do not understand',
    'I would like a refund for the month I cancelled',
    'my payment went through but the invoice still says unpaid',
    'can you help me change the credit card on my account',
    'why is my bill so much higher this month',
  ],
  support: [
    'my headset stopped working',
    'the app keeps crashing every time I open it',
    'I cannot log in since this morning, my password is not accepted',
    'I need technical support with my new phone',
    'the screen is broken and shows an error message',
    'our office internet is not working at all',
  ],
  sales: [
    "I'd like a quote for fifty licences",
    'how much would it cost to buy twenty more seats',
    'we are interested in upgrading to your business plan',
    'could you give us a demo of the product before we purchase it',
    'what are your prices for a team of 15 people',
    'I want to buy a new subscription for my company',
  ],
  operator: [
    'can I talk to a human',
    'I just want to speak to a real person please',
    'put me through to the operator',
    'could I speak with someone at reception',
    'none of those, I need to talk to somebody',
    'connect me to a live agent please',
  ],
};

/** Upset callers: negative sentiment, whatever the topic. */
export const UPSET_SENTENCES: readonly string[] = [
  "this is the third time I'm calling and nobody fixes it",
  'I am really angry, your service is terrible',
  'this is ridiculous, I have been waiting for hours and I am fed up',
];

/** Topics the sample front desk does not offer: no intent. */
export const UNKNOWN_SENTENCES: readonly string[] = [
  'what is the weather going to be like tomorrow',
  'my daughter has a football game on saturday',
  'is the restaurant downstairs open for lunch',
];

/** Hesitation with no content: no intent. */
export const MUMBLING_SENTENCES: readonly string[] = ['um uh hmm', 'well er I mean you know'];
