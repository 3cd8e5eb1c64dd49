import { readFileSync, readdirSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';

/** One Node major everywhere: what package.json asks for, what runs the tests, what the images ship. */
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const wanted = Number(/^>=(\d+)$/.exec(pkg.engines.node)?.[1]);

t.test('the tests run on the Node package.json asks for', async (t) => {
  t.ok(wanted >= 26, `engines.node is ${pkg.engines.node}`);
  const major = Number(process.versions.node.split('.')[0]);
  t.ok(major >= wanted, `node ${process.version} runs the tests; older? eval "$(scripts/use-node26.sh)" first`);
});

t.test('the template and the images are on that Node', async (t) => {
  t.same(readdirSync('templates'), [`shop-node${wanted}`], 'one template, named after its Node');
  const template = parse(readFileSync(`templates/shop-node${wanted}/template.yml`, 'utf8')) as { language: string };
  t.equal(template.language, `shop-node${wanted}`);
  for (const dockerfile of ['Dockerfile', `templates/shop-node${wanted}/Dockerfile`]) {
    const image = /^ARG NODE_IMAGE=(\S+)$/m.exec(readFileSync(dockerfile, 'utf8'))?.[1];
    t.match(image, new RegExp(`^node:${wanted}-`), `${dockerfile} builds on ${image}`);
  }
});
