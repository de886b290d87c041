export * from './model';
export * from './consent-mode';
export * from './personal-data';
export * from './stance';
export * from './judge';
export * from './readers';
