export * from './schema';
export * from './parse';
export * from './judge';
export * from './file';
