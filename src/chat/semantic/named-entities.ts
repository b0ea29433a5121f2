/**
 * Names that make two goals different plans however alike the rest is (AWS or GCP, React or Vue):
 * clouds, languages, databases, platforms, tools. Spellings of one name map to one canonical name.
 */
const ALIASES: Record<string, string[]> = {
  aws: ['aws', 'amazon', 'amazon web services', 'амазон'],
  gcp: ['gcp', 'google cloud', 'google cloud platform'],
  azure: ['azure', 'ажур'],
  'digital ocean': ['digitalocean', 'digital ocean'],
  heroku: ['heroku'],
  vercel: ['vercel'],
  netlify: ['netlify'],
  cloudflare: ['cloudflare'],
  hetzner: ['hetzner'],
  yandex: ['yandex', 'яндекс'],
  postgresql: ['postgresql', 'postgres', 'pg', 'постгрес', 'постгресе'],
  mysql: ['mysql'],
  mariadb: ['mariadb'],
  sqlite: ['sqlite'],
  mongodb: ['mongodb', 'mongo', 'монго'],
  redis: ['redis', 'редис'],
  cassandra: ['cassandra'],
  clickhouse: ['clickhouse'],
  elasticsearch: ['elasticsearch', 'elastic'],
  kafka: ['kafka', 'кафка'],
  rabbitmq: ['rabbitmq', 'rabbit'],
  nats: ['nats'],
  oracle: ['oracle'],
  'sql server': ['mssql', 'sql server'],
  dynamodb: ['dynamodb'],
  kubernetes: ['kubernetes', 'k8s', 'кубернетес', 'кубер'],
  docker: ['docker', 'докер'],
  terraform: ['terraform'],
  ansible: ['ansible'],
  helm: ['helm'],
  nginx: ['nginx'],
  apache: ['apache'],
  linux: ['linux', 'линукс'],
  windows: ['windows'],
  macos: ['macos', 'mac', 'osx'],
  ios: ['ios'],
  android: ['android', 'андроид'],
  ubuntu: ['ubuntu'],
  debian: ['debian'],
  github: ['github', 'гитхаб'],
  gitlab: ['gitlab', 'гитлаб'],
  bitbucket: ['bitbucket'],
  jenkins: ['jenkins'],
  'github actions': ['github actions'],
  circleci: ['circleci'],
  python: ['python', 'питон'],
  javascript: ['javascript', 'js'],
  typescript: ['typescript', 'ts'],
  java: ['java', 'джава'],
  kotlin: ['kotlin'],
  go: ['golang'],
  rust: ['rust'],
  ruby: ['ruby'],
  php: ['php'],
  swift: ['swift'],
  scala: ['scala'],
  elixir: ['elixir'],
  haskell: ['haskell'],
  perl: ['perl'],
  dart: ['dart'],
  flutter: ['flutter'],
  react: ['react', 'reactjs', 'react.js'],
  'react native': ['react native'],
  vue: ['vue', 'vuejs', 'vue.js'],
  angular: ['angular'],
  svelte: ['svelte'],
  nextjs: ['next.js', 'nextjs'],
  nestjs: ['nestjs', 'nest.js'],
  express: ['express', 'express.js'],
  fastify: ['fastify'],
  django: ['django'],
  flask: ['flask'],
  fastapi: ['fastapi'],
  rails: ['rails'],
  laravel: ['laravel'],
  spring: ['spring', 'spring boot'],
  'node.js': ['node', 'node.js', 'nodejs'],
  deno: ['deno'],
  bun: ['bun'],
  graphql: ['graphql'],
  grpc: ['grpc'],
  rest: ['rest'],
  websocket: ['websocket', 'websockets'],
  stripe: ['stripe'],
  paypal: ['paypal'],
  slack: ['slack'],
  telegram: ['telegram', 'телеграм'],
  discord: ['discord'],
  jira: ['jira'],
  sentry: ['sentry'],
  prometheus: ['prometheus'],
  grafana: ['grafana'],
  datadog: ['datadog'],
  openai: ['openai'],
  anthropic: ['anthropic'],
  s3: ['s3'],
  lambda: ['lambda'],
  ec2: ['ec2'],
  ci: ['ci'],
  cd: ['cd'],
  oauth: ['oauth'],
  saml: ['saml'],
  ldap: ['ldap'],
  jwt: ['jwt'],
  tls: ['tls', 'ssl', 'https'],
  ipv4: ['ipv4'],
  ipv6: ['ipv6'],
  webpack: ['webpack'],
  vite: ['vite'],
  jest: ['jest'],
  pytest: ['pytest'],
  playwright: ['playwright'],
  cypress: ['cypress'],
  selenium: ['selenium'],
  tailwind: ['tailwind'],
  bootstrap: ['bootstrap'],
  wordpress: ['wordpress'],
  shopify: ['shopify'],
  excel: ['excel'],
  figma: ['figma'],
};

const CANONICAL = new Map<string, string>();
for (const [name, spellings] of Object.entries(ALIASES))
  for (const spelling of spellings) CANONICAL.set(spelling, name);

const LONGEST = Math.max(...[...CANONICAL.keys()].map((spelling) => spelling.split(' ').length));

interface Mention {
  name: string;
  start: number;
  length: number;
}

/** Where a goal's words name known things, longest spelling first ("google cloud" before "google"). */
function mentionsOf(words: readonly string[]): Mention[] {
  const mentions: Mention[] = [];
  for (let i = 0; i < words.length; i++) {
    for (let length = Math.min(LONGEST, words.length - i); length >= 1; length--) {
      const name = CANONICAL.get(words.slice(i, i + length).join(' '));
      if (name) {
        mentions.push({ name, start: i, length });
        i += length - 1;
        break;
      }
    }
  }
  return mentions;
}

/** The canonical names a goal's words mention. */
export function namedEntitiesOf(words: readonly string[]): string[] {
  return [...new Set(mentionsOf(words).map(({ name }) => name))].sort();
}

/** The positions of the words that spell a known name ("github actions", "windows"): names are never lemmatized. */
export function namePositions(words: readonly string[]): Set<number> {
  const positions = new Set<number>();
  for (const { start, length } of mentionsOf(words)) for (let i = start; i < start + length; i++) positions.add(i);
  return positions;
}

/** Whether a word is one of the spellings of a known name (k8s, node.js). */
export function isEntitySpelling(word: string): boolean {
  return CANONICAL.has(word);
}

/** The canonical name a one-word spelling stands for (k8s → kubernetes), if it is one. */
export function canonicalEntity(word: string): string | undefined {
  return CANONICAL.get(word);
}
