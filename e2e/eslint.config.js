import config from '@binnacle/eslint-config';

export default config;
