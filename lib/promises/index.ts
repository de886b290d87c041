export * from './facts';
export * from './signals';
export * from './rules';
export * from './judge';
export * from './describe';
export * from './left-out';
