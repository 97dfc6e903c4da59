// The baseline for cold init: a function that imports nothing and does nothing.
export const handler = async () => ({ statusCode: 200, body: '' });
