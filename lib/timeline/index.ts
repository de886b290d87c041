export * from './input';
export * from './layout';
