import { wordsOf } from '../../embeddings/index.js';
import { LexicalEmbedder } from '../../embeddings/lexical-embedder.js';
import { dot } from '../../embeddings/vectors.js';
import { TaskPlanKey } from '../task-plan-cache/task-plan-key.js';
import { firstDisagreement, signatureOf } from './identity-gates.js';
import { GoalVocabulary } from './matching-form/goal-vocabulary.js';
import { matchingFormOf } from './matching-form/matching-form.js';
import { loadLexicon, type Lexicon } from './matching-form/lexicon.js';

let dictionary: Lexicon;
beforeAll(async () => {
  dictionary = await loadLexicon();
});
const embedder = new LexicalEmbedder();

/** Whether the matcher, with `cached` the only cached goal, would serve its plan for `asked` at the default 0.9. */
function served(cached: string, asked: string): boolean {
  const [stored, typed] = [TaskPlanKey.normalizeGoal(cached), TaskPlanKey.normalizeGoal(asked)];
  const vocabulary = new GoalVocabulary();
  vocabulary.add(wordsOf(stored));
  const [a, b] = [matchingFormOf(stored, dictionary), matchingFormOf(typed, dictionary, vocabulary)];
  return !firstDisagreement(signatureOf(a), signatureOf(b)) && dot(embedder.embedOne(a), embedder.embedOne(b)) >= 0.9;
}

// Pairs an outside review sent to the running service, each a different task; every one was served once.
describe('near-duplicate matching under attack: different tasks are never served', () => {
  it.each([
    ['Set up Vitest for the project', 'Set up Vitess for the project'],
    ['Set up Prism for the API', 'Set up Prisma for the API'],
    ['Configure Unicorn workers for the app', 'Configure Uvicorn workers for the app'],
    ['Deploy Falcon on the cluster', 'Deploy Falco on the cluster'],
    ['Set up Gitea on the server', 'Set up Gitee on the server'],
    ['Configure the linker', 'Configure linkerd'],
    ['Reboot the server athena', 'Reboot the server athens'],
    ['Revoke access for Kristen', 'Revoke access for Kirsten'],
    ['Grant admin rights to Julian', 'Grant admin rights to Juliana'],
    ['Open an office in Boston', 'Open an office in Bolton'],
    ['Открыть филиал в Бийске', 'Открыть филиал в Бирске'],
    ['Report the fake customer review', 'Repost the fake customer review'],
  ])('a name or word one letter away: "%s" / "%s"', (cached, asked) => {
    expect(served(cached, asked)).toBe(false);
    expect(served(asked, cached)).toBe(false);
  });

  it.each([
    ['Disable HTTP on the load balancer', 'Disable HTTPS on the load balancer'],
    ['Redirect HTTP to HTTPS', 'Redirect HTTPS to HTTP'],
    ['Install Windows updates', 'Install updates'],
    ['Выставить счёт клиенту', 'Выписка по счёту клиента'],
    ['Подписать документы', 'Подписки документов'],
    ['Сообщить об ошибке при оплате заказа', 'Сообщение об ошибке при оплате заказа'],
  ])('a name or a noun read as something else: "%s" / "%s"', (cached, asked) => {
    expect(served(cached, asked)).toBe(false);
  });

  it.each([
    ['Delete the production database', 'Clean up the production database'],
    ['Удалить базу данных', 'Почистить базу данных'],
    ['Create the React app', 'Build the React app'],
    ['Create an admin user', 'Make the user an admin'],
    ['Delete the customer', 'Delete the client'],
    ['Cut a new release', 'Reduce a new release'],
    ['Send the contract to the customer by email', 'Send the contract to the customer by mail'],
    [
      'Renew the annual Pro subscription of the customer with monthly card payment and invoice',
      'Cancel the annual Pro subscription of the customer with monthly card payment and invoice',
    ],
  ])('a word that is no synonym here: "%s" / "%s"', (cached, asked) => {
    expect(served(cached, asked)).toBe(false);
  });

  it.each([
    [
      'Back up the database before migrating the billing service',
      'Do nоt back up the database before migrating the billing service',
    ],
    [
      'Back up the database before migrating the billing service',
      'Do nót back up the database before migrating the billing service',
    ],
    ['Deploy the app on Friday', 'Donʼt deploy the app on Friday'],
    ['Удалять продакшн базу данных во время релиза', 'Нельзя удалять продакшн базу данных во время релиза'],
    ['Удалять продакшн базу данных во время релиза', 'Нe удалять продакшн базу данных во время релиза'],
    ['Export all orders including refunds', 'Export all orders excluding refunds'],
    ['Allow root login over SSH', 'Disallow root login over SSH'],
  ])('a negation in disguise: "%s" / "%s"', (cached, asked) => {
    expect(served(cached, asked)).toBe(false);
    expect(served(asked, cached)).toBe(false);
  });

  it.each([
    ['Check in for my Delta flight', 'Check on my Delta flight'],
    ['Turn on the staging server', 'Turn off the staging server'],
    ['Как уволиться по соглашению сторон', 'Как уволить по соглашению сторон'],
  ])('a particle or a reflexive ending that changes the verb: "%s" / "%s"', (cached, asked) => {
    expect(served(cached, asked)).toBe(false);
  });

  it('still serves what people type: framing, typos and verb forms of the same task', () => {
    expect(served('Configure nginx with TLS', 'Could you configure ngnix with TLS')).toBe(true);
    expect(served('Настроить роутер абонента', 'Пожалуйста, настрой руотер абонента')).toBe(true);
    expect(served('Migrate the blog to Hugo', 'I need to migrate the blog to Hugo')).toBe(true);
  });
});
