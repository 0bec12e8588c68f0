// @ts-check
// The interactive map of ContrastiveNE.Plotting (InteractiveMap). It runs inside one self-contained HTML page: the
// data sit in <script type="application/octet-stream"> blocks (base64, little-endian), the settings in a JSON block,
// and nothing is fetched (the page's Content-Security-Policy forbids it). Points are drawn with WebGL 2 as round
// point sprites in a fixed shuffled order (so no class is painted over the others); pan and zoom only change two
// uniforms, so a frame costs one draw call whatever the number of points. Hovering uses a uniform grid over the
// data, built once.
'use strict';

(function () {
  /** @typedef {{ title: string, settings: [string, string][], n: number, classes: string[], colors: string[],
   *   unlabelledColor: string, pointSize: number, pointAlpha: number, image: { width: number, height: number } | null,
   *   hover: string[] }} Meta */

  /** @param {string} id */
  function element(id) {
    const found = document.getElementById(id);
    if (!found) throw new Error('cne map: the page lacks #' + id);
    return found;
  }

  /** @type {Meta} */
  const meta = JSON.parse(element('cne-meta').textContent || '{}');
  const n = meta.n;

  /** Decodes a base64 data block into bytes; null when the page has no such block. @param {string} id */
  function block(id) {
    const holder = document.getElementById(id);
    if (!holder) return null;
    const text = (holder.textContent || '').trim();
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  /** Inflates gzip bytes with the browser's own DecompressionStream. @param {Uint8Array<ArrayBuffer>} bytes */
  async function gunzip(bytes) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  // ---- data ---------------------------------------------------------------------------------------------------
  const xyBytes = block('cne-xy');
  if (!xyBytes || xyBytes.length !== n * 8) throw new Error('cne map: the positions block does not hold ' + n + ' points');
  const xy = new Float32Array(xyBytes.buffer, xyBytes.byteOffset, n * 2);
  const labelBytes = block('cne-labels');
  const classCount = Math.max(meta.classes.length, 1);
  /** The class of every row (all 0 without labels). */
  const rowClass = new Uint16Array(n);
  if (labelBytes) {
    if (classCount <= 256) for (let i = 0; i < n; i++) rowClass[i] = labelBytes[i];
    else rowClass.set(new Uint16Array(labelBytes.buffer, labelBytes.byteOffset, n));
  }
  const hoverBytes = block('cne-hover');
  const hover = hoverBytes ? new Float32Array(hoverBytes.buffer, hoverBytes.byteOffset, n * meta.hover.length) : null;
  /** @type {Uint8Array | null} */
  let images = null;

  // A fixed shuffle of the rows (xorshift32, seed 20230501) is the draw order; order[j] is the row drawn j-th.
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let state = 20230501;
  for (let i = n - 1; i > 0; i--) {
    state ^= state << 13; state ^= state >>> 17; state ^= state << 5;
    const j = (state >>> 0) % (i + 1);
    const t = order[i]; order[i] = order[j]; order[j] = t;
  }
  const drawXy = new Float32Array(n * 2);
  const drawClass = new Uint16Array(n);
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let j = 0; j < n; j++) {
    const row = order[j], x = xy[2 * row], y = xy[2 * row + 1];
    drawXy[2 * j] = x; drawXy[2 * j + 1] = y; drawClass[j] = rowClass[row];
    if (x < minX) minX = x; if (x > maxX) maxX = x; if (y < minY) minY = y; if (y > maxY) maxY = y;
  }
  if (n === 0) { minX = minY = -1; maxX = maxY = 1; }
  const spanX = Math.max(maxX - minX, 1e-12), spanY = Math.max(maxY - minY, 1e-12);
  const counts = new Uint32Array(classCount);
  for (let i = 0; i < n; i++) counts[rowClass[i]]++;
  const visible = new Uint8Array(classCount).fill(1);

  // ---- the page ---------------------------------------------------------------------------------------------
  const canvas = /** @type {HTMLCanvasElement} */ (element('cne-canvas'));
  const tooltip = element('cne-tooltip');
  const ring = element('cne-ring');
  const legend = element('cne-legend');
  element('cne-title-text').textContent = meta.title;
  element('cne-settings').textContent = meta.settings.map(([k, v]) => k + ' ' + v).join(' · ');
  document.title = meta.title;

  const colors = meta.classes.length > 0 ? meta.colors : [meta.unlabelledColor];
  /** @param {string} hex */
  function rgb(hex) { return [1, 3, 5].map(k => parseInt(hex.slice(k, k + 2), 16)); }

  if (meta.classes.length > 0) {
    meta.classes.forEach((name, c) => {
      const entry = document.createElement('button');
      entry.type = 'button';
      entry.className = 'cne-entry';
      entry.dataset.cls = String(c);
      entry.title = 'click: hide or show · shift-click: show only this class';
      const swatch = document.createElement('span');
      swatch.className = 'cne-swatch';
      swatch.style.background = colors[c];
      const label = document.createElement('span');
      label.textContent = name;
      const count = document.createElement('span');
      count.className = 'cne-count';
      count.textContent = counts[c].toLocaleString('en-US');
      entry.append(swatch, label, count);
      entry.addEventListener('click', event => {
        if (event.shiftKey) visible.fill(0).fill(1, c, c + 1);
        else visible[c] = visible[c] ? 0 : 1;
        refreshLegend();
      });
      legend.append(entry);
    });
  } else {
    legend.remove();
  }

  function refreshLegend() {
    legend.querySelectorAll('.cne-entry').forEach(entry => {
      const c = Number(/** @type {HTMLElement} */ (entry).dataset.cls);
      entry.classList.toggle('cne-off', !visible[c]);
    });
    uploadColors();
    hideTooltip();
    requestDraw();
  }

  // ---- WebGL ------------------------------------------------------------------------------------------------
  /** Says on the page that WebGL 2 is missing, and stops. @returns {never} */
  function noWebGl() {
    element('cne-nogl').hidden = false;
    throw new Error('cne map: WebGL 2 is not available in this browser');
  }
  const gl = canvas.getContext('webgl2', { antialias: false, premultipliedAlpha: true, preserveDrawingBuffer: true, alpha: false }) || noWebGl();

  const vertexSource = `#version 300 es
    in vec2 a_pos;
    in float a_class;
    uniform vec2 u_scale;
    uniform vec2 u_offset;
    uniform float u_size;
    uniform float u_alpha;
    uniform sampler2D u_colors;
    out vec4 v_color;
    void main() {
      int c = int(a_class + 0.5);
      vec4 color = texelFetch(u_colors, ivec2(c % 1024, c / 1024), 0);
      if (color.a < 0.5) {             // a hidden class: outside the clip volume, no fragments
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
        gl_PointSize = 0.0;
        v_color = vec4(0.0);
        return;
      }
      gl_Position = vec4(a_pos * u_scale + u_offset, 0.0, 1.0);
      gl_PointSize = u_size;
      v_color = vec4(color.rgb, u_alpha);
    }`;
  // A disc with a one-pixel soft edge; output premultiplied for blendFunc(ONE, ONE_MINUS_SRC_ALPHA).
  const fragmentSource = `#version 300 es
    precision highp float;
    in vec4 v_color;
    uniform float u_size;
    out vec4 outColor;
    void main() {
      float r = length(gl_PointCoord - vec2(0.5)) * u_size;
      float cover = clamp(0.5 * u_size - r + 0.5, 0.0, 1.0);
      if (cover <= 0.0) discard;
      float a = v_color.a * cover;
      outColor = vec4(v_color.rgb * a, a);
    }`;

  /** @param {number} type @param {string} source */
  function shader(type, source) {
    const s = /** @type {WebGLShader} */ (gl.createShader(type));
    gl.shaderSource(s, source);
    gl.compileShader(s);
    if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error('cne map: shader: ' + gl.getShaderInfoLog(s));
    return s;
  }
  const program = /** @type {WebGLProgram} */ (gl.createProgram());
  gl.attachShader(program, shader(gl.VERTEX_SHADER, vertexSource));
  gl.attachShader(program, shader(gl.FRAGMENT_SHADER, fragmentSource));
  gl.bindAttribLocation(program, 0, 'a_pos');
  gl.bindAttribLocation(program, 1, 'a_class');
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error('cne map: program: ' + gl.getProgramInfoLog(program));
  gl.useProgram(program);
  const uScale = gl.getUniformLocation(program, 'u_scale');
  const uOffset = gl.getUniformLocation(program, 'u_offset');
  const uSize = gl.getUniformLocation(program, 'u_size');
  const uAlpha = gl.getUniformLocation(program, 'u_alpha');
  gl.uniform1i(gl.getUniformLocation(program, 'u_colors'), 0);

  const vao = gl.createVertexArray();
  gl.bindVertexArray(vao);
  const positionBuffer = gl.createBuffer();
  gl.bindBuffer(gl.ARRAY_BUFFER, positionBuffer);
  gl.bufferData(gl.ARRAY_BUFFER, drawXy, gl.STATIC_DRAW);
  gl.enableVertexAttribArray(0);
  gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0);
  const classBuffer = gl.createBuffer();
  gl.bindBuffer(gl.ARRAY_BUFFER, classBuffer);
  gl.bufferData(gl.ARRAY_BUFFER, drawClass, gl.STATIC_DRAW);
  gl.enableVertexAttribArray(1);
  gl.vertexAttribPointer(1, 1, gl.UNSIGNED_SHORT, false, 0, 0);

  // Class colours (alpha 255 = shown, 0 = hidden) in a 1024-wide RGBA texture read with texelFetch.
  const texWidth = Math.min(classCount, 1024), texHeight = Math.ceil(classCount / 1024);
  const colorTexture = gl.createTexture();
  gl.activeTexture(gl.TEXTURE0);
  gl.bindTexture(gl.TEXTURE_2D, colorTexture);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
  const colorBytes = new Uint8Array(texWidth * texHeight * 4);
  function uploadColors() {
    for (let c = 0; c < classCount; c++) {
      const [r, g, b] = rgb(colors[c]);
      colorBytes.set([r, g, b, visible[c] ? 255 : 0], 4 * c);
    }
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, texWidth, texHeight, 0, gl.RGBA, gl.UNSIGNED_BYTE, colorBytes);
  }
  uploadColors();
  gl.enable(gl.BLEND);
  gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
  gl.clearColor(1, 1, 1, 1);

  // ---- view: centre (data units) and zoom; fit() shows every point with a margin -----------------------------
  const view = { cx: 0, cy: 0, zoom: 1 };
  let cssWidth = 1, cssHeight = 1, dpr = 1;
  function fit() {
    view.cx = (minX + maxX) / 2; view.cy = (minY + maxY) / 2; view.zoom = 1;
  }
  fit();
  /** CSS pixels per data unit. */
  function pixelsPerUnit() { return 0.9 * Math.min(cssWidth, cssHeight) / Math.max(spanX, spanY) * view.zoom; }
  /** Point diameter in CSS pixels: the PNG figure's size for a 800-pixel panel, scaled to the window, growing gently with zoom. */
  function pointSize() {
    const base = meta.pointSize * Math.min(cssWidth, cssHeight) / 800;
    return Math.min(Math.max(base * Math.sqrt(view.zoom), 1.5), Math.max(base * 4, 12));
  }
  /** @param {number} row the screen position (CSS pixels, page coordinates) of a row */
  function toScreen(row) {
    const k = pixelsPerUnit();
    const rect = canvas.getBoundingClientRect();
    return { x: rect.left + cssWidth / 2 + (xy[2 * row] - view.cx) * k, y: rect.top + cssHeight / 2 - (xy[2 * row + 1] - view.cy) * k };
  }
  /** @param {number} sx @param {number} sy CSS pixels relative to the canvas */
  function toData(sx, sy) {
    const k = pixelsPerUnit();
    return { x: view.cx + (sx - cssWidth / 2) / k, y: view.cy - (sy - cssHeight / 2) / k };
  }

  function resize() {
    dpr = window.devicePixelRatio || 1;
    cssWidth = Math.max(canvas.clientWidth, 1); cssHeight = Math.max(canvas.clientHeight, 1);
    canvas.width = Math.round(cssWidth * dpr); canvas.height = Math.round(cssHeight * dpr);
    requestDraw();
  }

  let frames = 0;
  /** Draws the first `count` points of the shuffled order (all by default). @param {number} [count] */
  function draw(count = n) {
    gl.viewport(0, 0, canvas.width, canvas.height);
    gl.clear(gl.COLOR_BUFFER_BIT);
    const k = pixelsPerUnit();
    const sx = 2 * k / cssWidth, sy = 2 * k / cssHeight;
    gl.uniform2f(uScale, sx, sy);
    gl.uniform2f(uOffset, -view.cx * sx, -view.cy * sy);
    gl.uniform1f(uSize, pointSize() * dpr);
    gl.uniform1f(uAlpha, meta.pointAlpha);
    gl.drawArrays(gl.POINTS, 0, count);
    frames++;
  }

  // While the view moves, a renderer too slow for every point (a CPU renderer, a weak GPU, millions of points) draws a
  // prefix of the shuffled order, which is a uniform random sample of the points, so the picture keeps its shape;
  // the prefix shrinks while frames come slower than 25 per second and grows back when they are fast. 200 ms after
  // the last movement every point is drawn again.
  const minimumMoving = Math.min(n, 100000);
  let movingCount = n, movingUntil = 0, lastMovingFrame = 0, lastMovingCount = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let settle;
  /** Draws one frame of a moving view, adapting how many points it draws. @param {number} now */
  function drawMoving(now) {
    const interval = now - lastMovingFrame;
    if (lastMovingFrame > 0) {
      // Aim at ~30 ms a frame: shrink in proportion to how slow the last frame was (at most 4× at a time).
      if (interval > 40) movingCount = Math.max(minimumMoving, Math.floor(movingCount * Math.max(0.25, Math.min(0.8, 30 / interval))));
      else if (interval < 20) movingCount = Math.min(n, Math.ceil(movingCount * 1.25));
    }
    lastMovingFrame = now;
    lastMovingCount = movingCount;
    draw(movingCount);
  }
  let pending = false;
  /** Draws at the next animation frame; `moving` marks a frame of a pan or zoom. @param {boolean} [moving] */
  function requestDraw(moving = false) {
    if (moving) {
      movingUntil = performance.now() + 200;
      clearTimeout(settle);
      settle = setTimeout(() => requestDraw(), 220);
    }
    if (pending) return;
    pending = true;
    requestAnimationFrame(now => {
      pending = false;
      if (performance.now() < movingUntil) drawMoving(now);
      else { lastMovingFrame = 0; draw(); }
      placeRing();
    });
  }

  // ---- hover: a uniform grid over the data bounds holding draw indices ------------------------------------
  const grid = Math.max(1, Math.min(2048, Math.ceil(Math.sqrt(n / 4))));
  const cellStart = new Uint32Array(grid * grid + 1);
  const cellItems = new Uint32Array(n);
  /** @param {number} x @param {number} y */
  function cellOf(x, y) {
    const gx = Math.min(grid - 1, Math.max(0, Math.floor((x - minX) / spanX * grid)));
    const gy = Math.min(grid - 1, Math.max(0, Math.floor((y - minY) / spanY * grid)));
    return gy * grid + gx;
  }
  {
    const cells = new Uint32Array(n);
    for (let j = 0; j < n; j++) { cells[j] = cellOf(drawXy[2 * j], drawXy[2 * j + 1]); cellStart[cells[j] + 1]++; }
    for (let c = 0; c < grid * grid; c++) cellStart[c + 1] += cellStart[c];
    const fill = cellStart.slice(0, grid * grid);
    for (let j = 0; j < n; j++) cellItems[fill[cells[j]]++] = j;
  }
  /** The visible row nearest to a canvas position within a few pixels, drawn last on ties; -1 if none. @param {number} sx @param {number} sy */
  function pick(sx, sy) {
    const k = pixelsPerUnit();
    const radius = (Math.max(pointSize() / 2, 2) + 3) / k;
    const p = toData(sx, sy);
    const gx0 = Math.max(0, Math.floor((p.x - radius - minX) / spanX * grid)), gx1 = Math.min(grid - 1, Math.floor((p.x + radius - minX) / spanX * grid));
    const gy0 = Math.max(0, Math.floor((p.y - radius - minY) / spanY * grid)), gy1 = Math.min(grid - 1, Math.floor((p.y + radius - minY) / spanY * grid));
    let best = -1, bestDistance = radius * radius;
    for (let gy = gy0; gy <= gy1; gy++) {
      for (let gx = gx0; gx <= gx1; gx++) {
        const cell = gy * grid + gx;
        for (let t = cellStart[cell]; t < cellStart[cell + 1]; t++) {
          const j = cellItems[t];
          if (!visible[drawClass[j]]) continue;
          const dx = drawXy[2 * j] - p.x, dy = drawXy[2 * j + 1] - p.y, d = dx * dx + dy * dy;
          if (d < bestDistance || (d === bestDistance && j > best)) { bestDistance = d; best = j; }
        }
      }
    }
    return best < 0 ? -1 : order[best];
  }

  // ---- tooltip ----------------------------------------------------------------------------------------------
  let shownRow = -1, pinned = false;
  /** @param {number} value */
  function formatNumber(value) {
    if (Number.isInteger(value)) return String(value);
    return String(Number(value.toPrecision(6)));
  }
  /** @param {number} row @param {number} px @param {number} py */
  function showTooltip(row, px, py) {
    shownRow = row;
    tooltip.replaceChildren();
    const head = document.createElement('div');
    head.className = 'cne-tip-head';
    head.textContent = '#' + row;
    tooltip.append(head);
    if (meta.classes.length > 0) {
      const line = document.createElement('div');
      line.className = 'cne-tip-label';
      const swatch = document.createElement('span');
      swatch.className = 'cne-swatch';
      swatch.style.background = colors[rowClass[row]];
      const name = document.createElement('span');
      name.textContent = meta.classes[rowClass[row]];
      line.append(swatch, name);
      tooltip.append(line);
    }
    if (hover) {
      meta.hover.forEach((column, c) => {
        const line = document.createElement('div');
        line.textContent = column + ': ' + formatNumber(hover[c * n + row]);
        tooltip.append(line);
      });
    }
    if (meta.image && images) {
      const { width, height } = meta.image;
      const thumb = document.createElement('canvas');
      thumb.className = 'cne-thumb';
      thumb.width = width; thumb.height = height;
      const scale = Math.max(1, Math.floor(112 / Math.max(width, height)));
      thumb.style.width = width * scale + 'px'; thumb.style.height = height * scale + 'px';
      const context = /** @type {CanvasRenderingContext2D} */ (thumb.getContext('2d'));
      const pixels = context.createImageData(width, height);
      const offset = row * width * height;
      for (let t = 0; t < width * height; t++) {
        const v = images[offset + t];
        pixels.data[4 * t] = v; pixels.data[4 * t + 1] = v; pixels.data[4 * t + 2] = v; pixels.data[4 * t + 3] = 255;
      }
      context.putImageData(pixels, 0, 0);
      tooltip.append(thumb);
    }
    tooltip.hidden = false;
    const left = Math.min(px + 14, window.innerWidth - tooltip.offsetWidth - 4);
    const top = Math.min(py + 14, window.innerHeight - tooltip.offsetHeight - 4);
    tooltip.style.left = Math.max(4, left) + 'px';
    tooltip.style.top = Math.max(4, top) + 'px';
    placeRing();
  }
  function hideTooltip() {
    shownRow = -1; pinned = false;
    tooltip.hidden = true; ring.hidden = true;
  }
  function placeRing() {
    if (shownRow < 0) { ring.hidden = true; return; }
    const p = toScreen(shownRow), d = pointSize() + 8;
    ring.style.width = ring.style.height = d + 'px';
    ring.style.left = p.x - d / 2 + 'px'; ring.style.top = p.y - d / 2 + 'px';
    ring.hidden = false;
  }

  // ---- mouse: wheel zooms about the cursor, drag pans, click pins the tooltip, double-click resets -------------
  let drag = /** @type {{ x: number, y: number, cx: number, cy: number, moved: boolean } | null} */ (null);
  canvas.addEventListener('wheel', event => {
    event.preventDefault();
    const rect = canvas.getBoundingClientRect();
    const sx = event.clientX - rect.left, sy = event.clientY - rect.top;
    const before = toData(sx, sy);
    const step = event.deltaMode === 1 ? 40 : event.deltaMode === 2 ? 400 : 1;
    view.zoom = Math.min(Math.max(view.zoom * Math.exp(-event.deltaY * step * 0.0015), 0.2), 1e5);
    const after = toData(sx, sy);
    view.cx += before.x - after.x; view.cy += before.y - after.y;
    if (!pinned) hideTooltip();
    requestDraw(true);
  }, { passive: false });
  canvas.addEventListener('pointerdown', event => {
    drag = { x: event.clientX, y: event.clientY, cx: view.cx, cy: view.cy, moved: false };
    canvas.setPointerCapture(event.pointerId);
  });
  canvas.addEventListener('pointermove', event => {
    const rect = canvas.getBoundingClientRect();
    if (drag && (drag.moved || Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) > 3)) {
      drag.moved = true;
      const k = pixelsPerUnit();
      view.cx = drag.cx - (event.clientX - drag.x) / k;
      view.cy = drag.cy + (event.clientY - drag.y) / k;
      canvas.classList.add('cne-dragging');
      requestDraw(true);
      return;
    }
    if (pinned) return;
    const row = pick(event.clientX - rect.left, event.clientY - rect.top);
    if (row < 0) hideTooltip();
    else if (row !== shownRow) showTooltip(row, event.clientX, event.clientY);
  });
  canvas.addEventListener('pointerup', event => {
    const wasDrag = drag && drag.moved;
    drag = null;
    canvas.classList.remove('cne-dragging');
    if (wasDrag) return;
    const rect = canvas.getBoundingClientRect();
    const row = pick(event.clientX - rect.left, event.clientY - rect.top);
    if (row < 0) { hideTooltip(); return; }
    showTooltip(row, event.clientX, event.clientY);
    pinned = true;
  });
  canvas.addEventListener('pointerleave', () => { if (!pinned && !drag) hideTooltip(); });
  canvas.addEventListener('dblclick', () => { fit(); hideTooltip(); requestDraw(); });
  element('cne-reset').addEventListener('click', () => { fit(); hideTooltip(); requestDraw(); });
  window.addEventListener('resize', resize);

  // ---- save PNG: the map as drawn, with the title and the legend of the visible classes ----------------------
  function savePng() {
    draw();
    const out = document.createElement('canvas');
    out.width = canvas.width; out.height = canvas.height;
    const context = /** @type {CanvasRenderingContext2D} */ (out.getContext('2d'));
    context.fillStyle = '#fff';
    context.fillRect(0, 0, out.width, out.height);
    context.drawImage(canvas, 0, 0);
    context.scale(dpr, dpr);
    context.fillStyle = '#000';
    context.font = 'bold 16px sans-serif';
    context.fillText(meta.title, 12, 24);
    context.font = '13px sans-serif';
    context.fillText(element('cne-settings').textContent || '', 12, 44);
    let y = 24;
    meta.classes.forEach((name, c) => {
      if (!visible[c]) return;
      const x = cssWidth - 12 - Math.min(180, 24 + context.measureText(name).width);
      context.fillStyle = colors[c];
      context.beginPath(); context.arc(x + 6, y - 4, 5, 0, 2 * Math.PI); context.fill();
      context.fillStyle = '#000';
      context.fillText(name, x + 16, y);
      y += 18;
    });
    out.toBlob(blob => {
      if (!blob) return;
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = (meta.title || 'map').replace(/[^\w.-]+/g, '_') + '.png';
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    }, 'image/png');
  }
  element('cne-save').addEventListener('click', savePng);

  // ---- hooks for tests and scripts -----------------------------------------------------------------------------
  /**
   * Draws `count` frames, zooming in and out, one per animation frame, and resolves with frames per second.
   * Still (default): every frame draws every point and waits for it (readPixels), so drawMs is the cost of a full
   * frame. Moving: frames are drawn as during a pan or zoom (a sample of the points when the renderer is slow).
   * @param {number} count @param {boolean} [moving]
   */
  function measureFps(count, moving = false) {
    const start = { ...view };
    const pixel = new Uint8Array(4);
    return new Promise(resolve => {
      let done = 0, drawMs = 0;
      const t0 = performance.now();
      /** @param {number} now */
      function step(now) {
        view.zoom = start.zoom * Math.exp(Math.sin(done / 10));
        const d0 = performance.now();
        if (moving) drawMoving(now);
        else {
          draw();
          gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);   // waits for the frame to be drawn
        }
        drawMs += performance.now() - d0;
        done++;
        if (done < count) { requestAnimationFrame(step); return; }
        const seconds = (performance.now() - t0) / 1000;
        Object.assign(view, start);
        lastMovingFrame = 0;
        draw();
        resolve({ fps: count / seconds, drawMs: drawMs / count, frames: count, points: moving ? lastMovingCount : n });
      }
      requestAnimationFrame(step);
    });
  }
  const api = {
    n, toScreen, pick, measureFps, view,
    get frames() { return frames; },
    get thumbnails() { return images !== null; },
    /** @param {number} c @param {boolean} shown */
    setVisible(c, shown) { visible[c] = shown ? 1 : 0; refreshLegend(); },
    redraw() { draw(); },
  };
  /** @type {any} */ (window).cneMap = api;

  resize();
  draw();
  document.body.dataset.ready = '1';
  const imageBytes = block('cne-images');
  if (meta.image && imageBytes) {
    gunzip(imageBytes).then(bytes => {
      if (!meta.image || bytes.length !== n * meta.image.width * meta.image.height) throw new Error('cne map: the thumbnails block has the wrong size');
      images = bytes;
      document.body.dataset.thumbnails = '1';
    });
  }
})();
