import { firstDisagreement, signatureOf } from './identity-gates.js';

const gateBetween = (a: string, b: string) => firstDisagreement(signatureOf(a), signatureOf(b));

describe('identity gates', () => {
  it.each([
    ['numbers', 'What is 1+1?', 'What is 21+1?'],
    ['numbers', 'Fix bug #12', 'Fix bug #13'],
    ['numbers', 'Upgrade to PostgreSQL 15', 'Upgrade to PostgreSQL 16'],
    ['numbers', 'Release v1.0', 'Release v1.1'],
    ['identifiers', 'Learn C', 'Learn C++'],
    ['identifiers', 'Port it to C++', 'Port it to C#'],
    ['identifiers', 'Fix the login_v2 endpoint', 'Fix the signup_v2 endpoint'],
    ['identifiers', 'Добавить DNS-запись типа A для домена', 'Добавить DNS-запись типа AAAA для домена'],
    ['identifiers', 'Сделать план B на случай сбоя', 'Сделать план на случай сбоя'],
    ['negation', 'Deploy with Docker', 'Deploy without Docker'],
    ['negation', 'Кэшировать ответы', 'Не кэшировать ответы'],
    ['polarity', 'Add dark mode', 'Remove dark mode'],
    ['polarity', 'Enable 2FA for admins', 'Disable 2FA for admins'],
    ['polarity', 'Install nginx', 'Uninstall nginx'],
    ['polarity', 'Включить кэш', 'Выключить кэш'],
    ['polarity', 'Delete the staging database', 'The staging database'],
    ['direction', 'Migrate from MySQL to PostgreSQL', 'Migrate from PostgreSQL to MySQL'],
    ['direction', 'Перенести базу с MySQL на PostgreSQL', 'Перенести базу с PostgreSQL на MySQL'],
    ['direction', 'Convert the config from YAML to JSON', 'Convert the config from JSON to YAML'],
    ['entities', 'Host it on AWS', 'Host it on GCP'],
    ['entities', 'Set up CI for the project', 'Set up CD for the project'],
    ['entities', 'Build the UI with React', 'Build the UI with Vue'],
    ['language', 'Set up CI for the project', 'Настроить CI для проекта'],
  ])('the %s gate tells "%s" from "%s"', (gate, a, b) => {
    expect(gateBetween(a, b)).toBe(gate);
    expect(gateBetween(b, a)).toBe(gate);
  });

  it.each([
    ['Set up CI for the project', 'please set up CI for my project'],
    ['Настроить CI для проекта', 'настройка CI проекта'],
    ['Create a CI pipeline', 'a CI pipeline for the repo'],
    ['Migrate the orders from MySQL to PostgreSQL 16', 'please migrate my orders from MySQL to PostgreSQL 16'],
    ['Host it on Amazon Web Services', 'host it on AWS'],
    ['Deploy the app to Kubernetes', 'deploying the app to k8s'],
    ['Create a DNS record for the domain', 'Create DNS records for the domain'],
  ])('lets "%s" and "%s" through', (a, b) => {
    expect(gateBetween(a, b)).toBeUndefined();
  });
});
