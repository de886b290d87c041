export * from './schema';
export * from './writer';
export * from './health';
