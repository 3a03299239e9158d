import '../shared/base.css';
import 'vant/es/toast/style';
import { createApp } from 'vue';
import App from './App.vue';
import { strings } from './strings';

document.title = strings.documentTitle;
createApp(App).mount('#app');
