/** A picture of a mosaicLayout's grid (for the README): each tile at its place, with its title. */
export function dashboardLayoutSvg(dashboard: Record<string, unknown>, scale = 20): string {
  type DataSet = { plotType: string; legendTemplate?: string; timeSeriesQuery: { prometheusQuery?: string; timeSeriesFilter?: { filter: string } } };
  const layout = dashboard['mosaicLayout'] as { columns: number; tiles: { xPos: number; yPos: number; width: number; height: number; widget: { title: string; xyChart: { dataSets: DataSet[] } } }[] };
  const rows = Math.max(...layout.tiles.map((tile) => tile.yPos + tile.height));
  const [width, height] = [layout.columns * scale, rows * (scale / 2) + 40];
  const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const tiles = layout.tiles.map((tile) => {
    const [x, y, w, h] = [tile.xPos * scale + 4, tile.yPos * (scale / 2) + 36, tile.width * scale - 8, tile.height * (scale / 2) - 8];
    // Titles wrap at ~44 characters a line, the width of a tile at this scale.
    const words = tile.widget.title.split(' ');
    const lines: string[] = [''];
    for (const word of words) lines[lines.length - 1]!.length + word.length > 44 ? lines.push(word) : (lines[lines.length - 1] = `${lines[lines.length - 1]} ${word}`.trim());
    const text = lines.map((line, index) => `<tspan x="${x + 10}" dy="${index === 0 ? 0 : 18}">${escape(line)}</tspan>`).join('');
    // What each line or bar of the chart is: its legend, or the Google metric it filters.
    const series = tile.widget.xyChart.dataSets.map((set) => `${set.plotType === 'LINE' ? '―' : '▮'} ${set.legendTemplate || /metric\.type="([^"]+)"/.exec(set.timeSeriesQuery.timeSeriesFilter?.filter ?? '')?.[1] || ''}`);
    const chart = series.map((line, index) => `<text x="${x + 10}" y="${y + 70 + index * 18}" font-size="12" font-family="monospace" fill="#3949ab">${escape(line)}</text>`).join('');
    return `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="6" fill="#fff" stroke="#b0bec5"/><text x="${x + 10}" y="${y + 22}" font-size="14" fill="#263238">${text}</text>${chart}`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif"><rect width="100%" height="100%" fill="#f5f7f8"/><text x="8" y="24" font-size="18" fill="#263238">${escape(String(dashboard['displayName']))} (Cloud Monitoring, ${layout.columns}-column mosaic)</text>${tiles.join('')}</svg>\n`;
}
