/**
 * Turning what the debugger found into its answer: the verdict, the one-sentence summary, and the
 * text the CLI prints.
 */
import type { Explanation, Finding } from './types';

function capitalise(sentence: string): string {
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** What a debugger hands over to be turned into an {@link Explanation}. */
export interface Conclusion {
  findings: Finding[];
  notes: string[];
  details: string[];
  /** Whether the signature matched as given (only consulted when nothing was found). */
  correct: boolean;
  /** The first line when `correct`. */
  correctSummary: string;
  /** The first line when nothing matched and nothing was found. */
  noCauseSummary: string;
  /** Overrides the "Most likely: ..." line, e.g. to name several fields at once. */
  summary?: string;
}

/**
 * Build the answer: a found cause wins (exit 1), else a signature that matched is correct (exit 0),
 * else nothing explains it (exit 2).
 *
 * @example
 * ```ts
 * conclude({ findings: [], notes: [], details: [], correct: true, correctSummary: 'The signature is correct.', noCauseSummary: '' });
 * // { verdict: 'correct', exitCode: 0, summary: 'The signature is correct.', ... }
 * ```
 */
export function conclude(conclusion: Conclusion): Explanation {
  const { findings, notes, details } = conclusion;
  if (findings.length > 0) {
    return {
      verdict: 'cause-found',
      exitCode: 1,
      summary: conclusion.summary ?? `Most likely: ${findings[0]!.sentence}`,
      findings,
      notes,
      details,
    };
  }
  if (conclusion.correct) {
    return { verdict: 'correct', exitCode: 0, summary: conclusion.correctSummary, findings, notes, details };
  }
  return { verdict: 'no-cause', exitCode: 2, summary: conclusion.noCauseSummary, findings, notes, details };
}

/**
 * The explanation as the CLI prints it: the summary sentence first, then every cause, the notes and
 * the details.
 *
 * @example
 * ```ts
 * process.stdout.write(formatExplanation(await explainJwtSignature({ params, apiKey })));
 * ```
 */
export function formatExplanation(explanation: Explanation): string {
  const lines = [explanation.summary];
  // One cause is the summary itself; several are listed, most likely first.
  if (explanation.findings.length > 1) {
    lines.push('', 'Causes found, most likely first:');
    for (const finding of explanation.findings) lines.push(`  - ${capitalise(finding.sentence)}`);
  }
  if (explanation.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const note of explanation.notes) lines.push(`  - ${note}`);
  }
  if (explanation.details.length > 0) {
    lines.push('', 'Details:');
    for (const detail of explanation.details) lines.push(`  ${detail}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Words joined as a sentence lists them: `a`, `a and b`, `a, b and c`.
 *
 * @example
 * ```ts
 * listWords(['amount', 'status', 'fee']); // 'amount, status and fee'
 * ```
 */
export function listWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
