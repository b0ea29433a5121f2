/** What every JSON answer of the service is sent as. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
