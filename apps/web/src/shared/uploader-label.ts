import { onMounted, onUpdated, useTemplateRef } from 'vue';

/**
 * Vant's uploader has no label and no prop for one: names its file input once it is in the page
 * (and after each re-render). Call in `<script setup>` with the uploader's template ref name.
 */
export function useUploaderLabel(refName: string, label: string): void {
  const root = useTemplateRef<{ $el: HTMLElement }>(refName);
  const labelInput = () =>
    root.value?.$el.querySelector('input[type=file]')?.setAttribute('aria-label', label);
  onMounted(labelInput);
  onUpdated(labelInput);
}
