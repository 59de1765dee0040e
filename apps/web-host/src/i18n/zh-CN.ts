import type en from './en';

const zhCN: typeof en = {
  app: { name: 'Acme 门户', tagline: '团队运行的一切，尽在一处' },
  nav: { home: '首页', kubernetes: 'Kubernetes' },
  header: {
    dark: '深色',
    light: '浅色',
    theme: '切换浅色与深色',
    language: '语言',
    signOut: '退出登录',
  },
  login: {
    title: '登录 Acme 门户',
    subtitle: '请使用公司账号登录。',
    username: '用户名',
    password: '密码',
    submit: '登录',
    usernameRequired: '请输入用户名。',
    passwordRequired: '请输入密码。',
    unreachable: '无法连接登录服务，请稍后再试。',
    or: '或',
    sso: '使用 {name} 登录',
    ssoDefault: '单点登录',
  },
  home: {
    welcome: '欢迎，{name}',
    welcomeBody: '从上次离开的地方继续，或打开下面的工具。',
    k8sTitle: 'Kubernetes',
    k8sBody: '浏览工作负载、查看日志、打开终端，并在你有权访问的每个集群上扩缩容部署。',
    k8sOpen: '打开 Kubernetes',
    accountTitle: '我的账号',
    username: '用户名',
    groups: '用户组',
    noGroups: '无',
    source: '登录方式',
    sources: { local: '门户密码', oidc: '单点登录', host: '门户单点登录' },
  },
  subapp: { loading: '正在加载 Kubernetes…', failed: '无法加载 Kubernetes：{reason}' },
};

export default zhCN;
