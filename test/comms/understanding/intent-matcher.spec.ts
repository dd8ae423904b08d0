// Which intent a caller's words name: the sample front desk's 24 natural sentences land on their intents, topics it
// does not offer and mumbling land on none, and the matcher copes with how people talk and how a recogniser errs.
import assert from 'node:assert/strict';
import { matchIntent, SAMPLE_INTENTS, type IntentDefinition } from '../../../comms/understanding/index.js';
import { INTENT_SENTENCES, MUMBLING_SENTENCES, UNKNOWN_SENTENCES, UPSET_SENTENCES } from '../../support/spoken-sentences.js';

describe('comms/understanding intent matcher', () => {
  describe('the sample front desk', () => {
    for (const [intent, sentences] of Object.entries(INTENT_SENTENCES)) {
      for (const sentence of sentences) {
        it(`${intent}: "${sentence}"`, () => {
          const match = matchIntent(sentence, SAMPLE_INTENTS, 'en-US');
          assert.equal(match.intent, intent);
          assert.ok(match.confidence >= 0.5, `confidence ${match.confidence}`);
        });
      }
    }
    for (const sentence of [...UNKNOWN_SENTENCES, ...MUMBLING_SENTENCES, '', '   ', '?!…']) {
      it(`no intent: "${sentence}"`, () => {
        assert.deepEqual(matchIntent(sentence, SAMPLE_INTENTS, 'en-US'), { confidence: 0 });
      });
    }
    it('upset callers name no topic the sample offers (sentiment decides for them)', () => {
      for (const sentence of UPSET_SENTENCES) assert.equal(matchIntent(sentence, SAMPLE_INTENTS, 'en-US').intent, undefined, sentence);
    });
  });

  describe('how people talk and how a recogniser errs', () => {
    const intents: IntentDefinition[] = [
      { name: 'billing', phrases: ['billing', 'invoice', 'charged twice', 'refund'] },
      { name: 'sales', phrases: ['quote', 'fifty licences', 'demo'] },
      { name: 'support', phrases: ['log in', 'headset', 'stopped working'] },
      { name: 'cancel', phrases: ['cancel my subscription'] },
    ];
    const cases: Array<[text: string, intent: string, why: string]> = [
      ['INVOICE!!!', 'billing', 'case and punctuation'],
      ['Um, er, well, I mean… my invoice, please', 'billing', 'filler words around the phrase'],
      ['I was charged me twice', 'billing', 'a word between the words of a phrase'],
      ['the charges, charged twice', 'billing', 'stems: charged/charges'],
      ['invoices', 'billing', 'plural'],
      ['Billed wrong on my billing statement', 'billing', 'billing/bill'],
      ['50 licenses', 'sales', 'digits for number words, American spelling'],
      ['fifty licences', 'sales', 'number words'],
      ['my hedset', 'support', 'a recogniser slip on a longer word (one letter)'],
      ['my headsett stoped workng', 'support', 'several slips'],
      ['I cannot login', 'support', 'a phrase run together'],
      ['I cannot log in', 'support', 'the phrase with its small word'],
      ['I cannot log on to the demo', 'sales', '"log" alone is not "log in"'],
      ["I'd like to cancel my subscription", 'cancel', 'contractions and a three-word phrase'],
      ['cancelled my subscriptions', 'cancel', 'British doubling and plurals'],
    ];
    for (const [text, intent, why] of cases) {
      it(`${why}: "${text}" → ${intent}`, () => assert.equal(matchIntent(text, intents, 'en-US').intent, intent));
    }

    it('a short word is never matched by edit distance ("bill" is not "pill", "quote" is not "qoute")', () => {
      assert.equal(matchIntent('a pill', [{ name: 'billing', phrases: ['bill'] }], 'en-US').intent, undefined);
      assert.equal(matchIntent('a qoute', [{ name: 'sales', phrases: ['quote'] }], 'en-US').intent, undefined);
    });

    it('a multi-word phrase outweighs a single word of another intent', () => {
      const match = matchIntent('the demo — I was charged twice', intents, 'en-US');
      assert.equal(match.intent, 'billing');
    });

    it('two intents equally strong are ambiguous: no intent', () => {
      assert.deepEqual(matchIntent('my invoice and a demo', intents, 'en-US'), { confidence: 0 });
      assert.deepEqual(matchIntent('a refund for the headset', intents, 'en-US'), { confidence: 0 });
    });

    it('confidence grows with the strength of the match and its lead', () => {
      const single = matchIntent('invoice', intents, 'en-US').confidence;
      const phrase = matchIntent('charged twice', intents, 'en-US').confidence;
      const both = matchIntent('charged twice on my invoice, I want a refund', intents, 'en-US').confidence;
      const contested = matchIntent('charged twice for the demo', intents, 'en-US').confidence;
      const fuzzy = matchIntent('invoise', intents, 'en-US').confidence;
      assert.ok(single > 0 && single < phrase && phrase < both && both <= 1, `${single} ${phrase} ${both}`);
      assert.ok(contested < phrase, `a competitor lowers it: ${contested} vs ${phrase}`);
      assert.ok(fuzzy > 0 && fuzzy < single, `a near miss counts less: ${fuzzy} vs ${single}`);
    });

    it('an intent with no phrases, or no intents at all, matches nothing', () => {
      assert.deepEqual(matchIntent('billing', [{ name: 'empty', phrases: [] }], 'en-US'), { confidence: 0 });
      assert.deepEqual(matchIntent('billing', [], 'en-US'), { confidence: 0 });
    });

    it('long or hostile input neither throws nor hangs', () => {
      const long = 'billing '.repeat(5000);
      assert.equal(matchIntent(long, intents, 'en-US').intent, 'billing');
      assert.equal(matchIntent('\u0000\u202e<script>invoice</script>', intents, 'en-US').intent, 'billing');
    });
  });
});
