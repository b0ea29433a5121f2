import { cutToTokens, estimatePromptTokens, estimateTokens } from './token-estimate.js';

describe('estimateTokens', () => {
  it('counts English at about 4 characters a token, not by its bytes times 4', () => {
    expect(estimateTokens('Plan the launch of the new website')).toBe(9); // 34 characters
    expect(estimateTokens('a'.repeat(400))).toBe(100);
  });

  it('counts Cyrillic at a token a character, CJK at 1.5 and emoji at 2: an upper bound where 4 characters a token counted a quarter', () => {
    expect(estimateTokens('Спланируй переезд офиса')).toBe(21 + 1); // 21 letters, a space a quarter each
    expect(estimateTokens('я'.repeat(100))).toBe(100);
    expect(estimateTokens('计划'.repeat(50))).toBe(150);
    expect(estimateTokens('🚀'.repeat(10))).toBe(20);
    expect(estimateTokens('é')).toBe(1);
  });

  it('counts a mixed text by its parts, and a chat prompt per message with its framing', () => {
    expect(estimateTokens('Goal: переезд')).toBe(Math.ceil(6 / 4 + 7));
    expect(estimatePromptTokens(['abcd', 'я'])).toBe(1 + 1 + 2 * 3 + 3);
  });
});

describe('cutToTokens', () => {
  it('keeps the longest start within the tokens, never half of a character', () => {
    expect(cutToTokens('abcdefgh', 1)).toBe('abcd');
    expect(cutToTokens('яяяя', 2)).toBe('яя');
    expect(cutToTokens('🚀🚀🚀', 3)).toBe('🚀');
    expect(cutToTokens('short', 100)).toBe('short');
    for (const text of ['Спланируй переезд офиса', '计划 the 🚀 launch']) {
      for (let tokens = 0; tokens < 30; tokens++)
        expect(estimateTokens(cutToTokens(text, tokens))).toBeLessThanOrEqual(tokens);
    }
  });
});
