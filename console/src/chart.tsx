import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface Series {
    label: string;
    values: number[];
}

/** A bar or line chart (Chart.js) with a text alternative for screen readers. */
export function SeriesChart({ kind, labels, series, title }: { kind: 'bar' | 'line'; labels: string[]; series: Series[]; title: string }): JSX.Element {
    const canvas = useRef<HTMLCanvasElement>(null);
    useEffect(() => {
        if (!canvas.current) {
            return undefined;
        }
        const chart = new Chart(canvas.current, {
            type: kind,
            data: { labels, datasets: series.map((s) => ({ label: s.label, data: s.values })) },
            options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { display: series.length > 1 } }, scales: { y: { beginAtZero: true } } },
        });
        return (): void => chart.destroy();
    }, [kind, JSON.stringify(labels), JSON.stringify(series)]);
    const summary = series.map((s) => `${s.label}: ${s.values.join(', ')}`).join('; ');
    return (
        <figure class="chart">
            <div class="chart-box">
                <canvas ref={canvas} role="img" aria-label={`${title}. ${summary}`} />
            </div>
            <figcaption>{title}</figcaption>
        </figure>
    );
}
