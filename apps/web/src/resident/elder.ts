// 长辈版 (适老化): larger text and stronger contrast, switched on the home page and remembered on
// this device. A class on <html> lets the stylesheet (resident.css) and Vant's variables follow.
import { ref, watch } from 'vue';

const KEY = 'doorstep.elder';

function stored(): boolean {
  try {
    return window.localStorage.getItem(KEY) === '1';
  } catch {
    return false; // storage refused (private mode): the switch still works for this visit
  }
}

export const elderMode = ref(stored());

watch(
  elderMode,
  (on) => {
    document.documentElement.classList.toggle('elder', on);
    try {
      if (on) window.localStorage.setItem(KEY, '1');
      else window.localStorage.removeItem(KEY);
    } catch {
      // as above
    }
  },
  { immediate: true },
);
