/**
 * Prompt templates: `{{inputs.service}}`, `{{needs.research.summary}}`, `{{needs.research}}`
 * (the whole result as YAML-ish JSON). Nothing is evaluated; a reference is a dotted path.
 */
const REFERENCE = /\{\{\s*([a-zA-Z_][\w-]*(?:\.[\w-]+)*)\s*\}\}/g;

export interface TemplateScope {
  inputs: Record<string, unknown>;
  needs: Record<string, unknown>;
}

/** The dotted paths a template refers to. */
export function templateReferences(template: string): string[][] {
  return [...template.matchAll(REFERENCE)].map((match) => match[1]!.split('.'));
}

export function renderTemplate(template: string, scope: TemplateScope): string {
  return template.replace(REFERENCE, (_whole, ref: string) => {
    let value: unknown = scope;
    for (const key of ref.split('.')) {
      value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    }
    if (value === undefined) return '(not available)';
    if (typeof value === 'string') return value;
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(', ');
    return JSON.stringify(value, null, 2);
  });
}
