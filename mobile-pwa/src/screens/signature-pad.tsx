/** @jsxImportSource preact */
import { useEffect, useRef } from 'preact/hooks';
import { useApp } from '../context.ts';

/**
 * A signature drawn with a finger, a pen or the mouse (pointer events, captured so a stroke that
 * leaves the box still ends), dark ink on white whatever the app's colours, so the PNG reads the
 * same on the clinic's PDF. `onChange` gets the PNG as a data URL after each stroke, null once
 * cleared. The box is 600×200 pixels however wide it shows (the PNG stays small). Keyboard and
 * screen-reader users sign by typing their name instead (the hint says so).
 */
export const PAD_WIDTH = 600;
export const PAD_HEIGHT = 200;

export function SignaturePad(props: { id: string; hintId: string; onChange(image: string | null): void }) {
  const { t } = useApp().i18n;
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const last = useRef<{ x: number; y: number } | null>(null);

  const blank = () => {
    const g = canvas.current?.getContext('2d');
    if (!g) return;
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, PAD_WIDTH, PAD_HEIGHT);
  };
  useEffect(blank, []);

  const at = (e: PointerEvent) => {
    const box = canvas.current!.getBoundingClientRect();
    return {
      x: ((e.clientX - box.left) * PAD_WIDTH) / box.width,
      y: ((e.clientY - box.top) * PAD_HEIGHT) / box.height,
    };
  };
  const line = (to: { x: number; y: number }) => {
    const g = canvas.current?.getContext('2d');
    const from = last.current;
    if (!g || !from) return;
    g.strokeStyle = '#10243e';
    g.lineWidth = 3;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.beginPath();
    g.moveTo(from.x, from.y);
    g.lineTo(to.x, to.y);
    g.stroke();
    last.current = to;
  };

  const finish = () => {
    if (!drawing.current) return;
    drawing.current = false;
    last.current = null;
    props.onChange(canvas.current?.toDataURL('image/png') ?? null);
  };

  return (
    <div class="signature-pad">
      <canvas
        id={props.id}
        ref={canvas}
        width={PAD_WIDTH}
        height={PAD_HEIGHT}
        role="img"
        aria-label={t('signPad')}
        aria-describedby={props.hintId}
        onPointerDown={(e) => {
          e.preventDefault();
          canvas.current?.setPointerCapture(e.pointerId);
          drawing.current = true;
          last.current = at(e);
          // A tap leaves a dot.
          line({ x: last.current.x + 0.1, y: last.current.y + 0.1 });
        }}
        onPointerMove={(e) => {
          if (!drawing.current) return;
          const points = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
          for (const p of points.length ? points : [e]) line(at(p));
        }}
        onPointerUp={finish}
        onPointerCancel={finish}
      />
      <button
        type="button"
        class="btn plain"
        onClick={() => {
          blank();
          props.onChange(null);
        }}
      >
        {t('signClear')}
      </button>
    </div>
  );
}
