/**
 * @module
 * The customer page of the annotations bench: a shop's category page of a few thousand nodes
 * (sticky header and navigation, a filter sidebar, a grid of product cards with images drawn by
 * CSS, reviews and a footer), a dozen screens tall, so the page has real layout and paint work
 * while it scrolls.
 */

const TAGS = ['new', 'sale', 'eco', 'bestseller', 'limited', 'gift'];

function card(i: number): string {
  const tags = [0, 1, 2].map((k) => `<li>${TAGS[(i + k) % TAGS.length]}</li>`).join('');
  const hue = (i * 37) % 360;
  return (
    `<article class="card"><div class="thumb" style="--hue:${hue}"></div>` +
    `<h3><a href="#p${i}">Product ${i}: linen shirt, relaxed fit</a></h3>` +
    `<p class="desc">Soft washed linen, ${(i % 5) + 2} colours, ships in ${(i % 3) + 1} days.</p>` +
    `<div class="meta"><span class="price">$${19 + (i % 60)}.99</span>` +
    `<span class="rating">${'★'.repeat((i % 5) + 1)}</span></div>` +
    `<ul class="tags">${tags}</ul><button type="button">Add to cart</button></article>`
  );
}

function filters(): string {
  return ['Size', 'Colour', 'Material', 'Fit', 'Price', 'Brand']
    .map(
      (name, f) =>
        `<fieldset><legend>${name}</legend>` +
        Array.from(
          { length: 6 },
          (_, k) => `<label><input type="checkbox" name="f${f}" value="${k}"> ${name} ${k}</label>`,
        ).join('') +
        '</fieldset>',
    )
    .join('');
}

function reviews(): string {
  return Array.from(
    { length: 24 },
    (_, i) =>
      `<blockquote><p>Review ${i}: the fabric is lovely and it washed well. ` +
      `Sizing runs a little large; I would order one down.</p><cite>Customer ${i}</cite></blockquote>`,
  ).join('');
}

function footer(): string {
  return ['Shop', 'Help', 'Company', 'Legal']
    .map(
      (name) =>
        `<nav><h4>${name}</h4><ul>` +
        Array.from(
          { length: 8 },
          (_, k) => `<li><a href="#${name}${k}">${name} link ${k}</a></li>`,
        ).join('') +
        '</ul></nav>',
    )
    .join('');
}

const STYLE = `
body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: #1b1f24; background: #fafafa; }
header { position: sticky; top: 0; z-index: 5; display: flex; gap: 24px; align-items: center;
  padding: 12px 24px; background: #fff; box-shadow: 0 2px 8px rgba(0,0,0,.12); }
header nav a { margin-right: 14px; color: inherit; text-decoration: none; }
header form { margin-left: auto; display: flex; gap: 6px; }
.hero { padding: 48px 24px; background: linear-gradient(120deg, #e0ecff, #fde8ef); }
.layout { display: grid; grid-template-columns: 220px 1fr; gap: 24px; padding: 24px; }
aside fieldset { border: 1px solid #ddd; border-radius: 6px; margin-bottom: 12px; }
aside label { display: block; }
.grid { display: grid; grid-template-columns: repeat(4, 1fr); gap: 16px; }
.card { background: #fff; border-radius: 10px; padding: 12px; box-shadow: 0 1px 4px rgba(0,0,0,.1); }
.thumb { height: 140px; border-radius: 8px;
  background: linear-gradient(135deg, hsl(var(--hue) 70% 80%), hsl(var(--hue) 60% 55%)); }
.card h3 { font-size: 15px; margin: 10px 0 4px; }
.card a { color: inherit; }
.desc { color: #555; margin: 0 0 6px; }
.meta { display: flex; justify-content: space-between; }
.price { font-weight: 700; }
.rating { color: #d08c00; }
.tags { display: flex; gap: 6px; list-style: none; padding: 0; margin: 8px 0; }
.tags li { font-size: 12px; padding: 1px 8px; border-radius: 10px; background: #eef2f7; }
.card button { width: 100%; padding: 8px; border: 0; border-radius: 6px; background: #0b63ce;
  color: #fff; font-weight: 600; }
.reviews { columns: 2; padding: 0 24px; }
blockquote { break-inside: avoid; margin: 0 0 16px; padding: 12px; background: #fff;
  border-left: 4px solid #0b63ce; }
footer { display: grid; grid-template-columns: repeat(4, 1fr); padding: 32px 24px;
  background: #1b1f24; color: #ccd; }
footer a { color: #ccd; }
`;

/** The page's HTML with `products` cards, loading the bench's script from `script`. */
export function shopHtml(products: number, script: string): string {
  const cards = Array.from({ length: products }, (_, i) => card(i)).join('');
  const nav = Array.from({ length: 8 }, (_, i) => `<a href="#c${i}">Category ${i}</a>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Shirts: annotations bench</title>
<style>${STYLE}</style></head><body>
<header><strong>Shop</strong><nav>${nav}</nav>
<form><input type="search" placeholder="Search"><button type="button">Search</button></form></header>
<section class="hero"><h1>Linen shirts</h1><p>Cool, breathable, made to last.</p>
<button type="button">Shop men</button> <button type="button">Shop women</button></section>
<div class="layout"><aside>${filters()}</aside><main class="grid">${cards}</main></div>
<section class="reviews">${reviews()}</section>
<footer>${footer()}</footer>
<script src="${script}"></script>
</body></html>`;
}
