import config from '@binnacle/eslint-config/vue';

export default config;
