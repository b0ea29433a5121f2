import type { AdminToken } from './admin-token.js';
import { ApiError, callApi } from './api.js';
import { EDITABLE_FIELDS, formValues, planBody, type BillingPlan, type EditableField } from './billing-plan.js';
import { byId } from './dom.js';
import { t } from './i18n.js';

type FieldControl = HTMLInputElement | HTMLSelectElement;

/**
 * The create-and-edit form of billing plans. The API validates; its message for each wrong field
 * is shown beside that field, and nothing typed is lost.
 */
export class PlanEditor {
  readonly #form = byId('plan-editor', HTMLFormElement);
  readonly #title = byId('editor-title', HTMLHeadingElement);
  readonly #error = byId('editor-error', HTMLParagraphElement);
  readonly #status = byId('editor-status', HTMLParagraphElement);
  readonly #save = byId('editor-save', HTMLButtonElement);
  readonly #cancel = byId('editor-cancel', HTMLButtonElement);
  readonly #controls = Object.fromEntries(
    EDITABLE_FIELDS.map((field) => [field, this.#form.elements.namedItem(field) as FieldControl]),
  ) as Record<EditableField, FieldControl>;
  #editing: BillingPlan | undefined;

  constructor(
    private readonly token: AdminToken,
    private readonly saved: () => void,
  ) {
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#submit();
    });
    this.#cancel.addEventListener('click', () => this.reset());
    token.onChange(() => this.#enable());
    this.#enable();
  }

  edit(plan: BillingPlan): void {
    this.#editing = plan;
    const values = formValues(plan);
    for (const field of EDITABLE_FIELDS) this.#controls[field].value = values[field];
    this.#title.textContent = t('editor.edit', { id: plan.id });
    this.#cancel.hidden = false;
    this.#clearMessages();
    this.#controls.name.focus();
  }

  /** Back to a new plan, e.g. after the plan being edited was deleted. */
  reset(): void {
    this.#editing = undefined;
    this.#form.reset();
    this.#title.textContent = t('editor.create');
    this.#cancel.hidden = true;
    this.#clearMessages();
  }

  get editingId(): number | undefined {
    return this.#editing?.id;
  }

  async #submit(): Promise<void> {
    this.#clearMessages();
    const values = Object.fromEntries(EDITABLE_FIELDS.map((f) => [f, this.#controls[f].value])) as Record<
      EditableField,
      string
    >;
    const editing = this.#editing;
    this.#save.disabled = true;
    try {
      const { body: plan } = await callApi<BillingPlan>(editing ? `/api/plans/${editing.id}` : '/api/plans', {
        method: editing ? 'PATCH' : 'POST',
        body: planBody(values),
        token: this.token.value,
      });
      this.reset();
      this.#status.textContent = editing
        ? t('editor.updated', { name: plan.name })
        : t('editor.created', { name: plan.name, id: plan.id });
      this.saved();
    } catch (error) {
      this.#showError(error);
    } finally {
      this.#enable();
    }
  }

  #showError(error: unknown): void {
    if (!(error instanceof ApiError)) throw error;
    const unplaced: string[] = [];
    for (const [field, message] of Object.entries(error.fields)) {
      const control = this.#controls[field as EditableField] as FieldControl | undefined;
      if (!control) {
        unplaced.push(message);
        continue;
      }
      control.setAttribute('aria-invalid', 'true');
      byId(`${control.id}-error`, HTMLParagraphElement).textContent = message;
    }
    const placed = Object.keys(error.fields).length - unplaced.length;
    this.#error.textContent = placed > 0 ? unplaced.join('; ') : error.message;
    const firstInvalid = EDITABLE_FIELDS.map((f) => this.#controls[f]).find((c) => c.ariaInvalid === 'true');
    firstInvalid?.focus();
  }

  #clearMessages(): void {
    this.#error.textContent = '';
    this.#status.textContent = '';
    for (const control of Object.values(this.#controls)) {
      control.removeAttribute('aria-invalid');
      byId(`${control.id}-error`, HTMLParagraphElement).textContent = '';
    }
  }

  #enable(): void {
    this.#save.disabled = !this.token.present;
  }
}
