export * from './schema';
export * from './router';
