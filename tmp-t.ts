import { LexicalEmbedder } from './src/embeddings/lexical-embedder.js';
import { dot } from './src/embeddings/vectors.js';
const e = new LexicalEmbedder();
const pairs = [['Настроить мониторинг сервиса оплаты','настройка мониторинга сервиса оплаты'],['Set up CI for the billing project','please set up CI for my billing project'],['Write unit tests for the invoice module','write unit tests for the invoice module please'],['Set up linting for the console project','please set up linting for my console project'],['Write integration tests for the billing service','Write integration tests for the billing service module'],['Set up alerts for the payments service','set up alerts for the payments service please'],['Set up CI for the search project','please set up CI for my search project']];
for (const [a,b] of pairs) console.log(dot(e.embedOne(a), e.embedOne(b)).toFixed(3), a, '|', b);
const neg = [['Set up CI for the project','Set up CD for the project'],['translate the docs','transform the docs'],['Write unit tests for the billing service','Write integration tests for the billing service'],['Set up CI for the frontend','Set up CI for the backend'],['настроить мониторинг','настроить логирование'],['deploying the app','deployment of the app']];
for (const [a,b] of neg) console.log('NEG?', dot(e.embedOne(a), e.embedOne(b)).toFixed(3), a, '|', b);
