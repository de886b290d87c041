export * from './schema';
export * from './writer';
