/**
 * The PDF fonts' files under Bun (pdf-fonts.ts imports this only there): `bun build --compile`
 * embeds a `with { type: 'file' }` import in the binary and gives its path inside it; from source
 * the path is the file in node_modules. Node cannot load these imports (vitest never does).
 */

import regular from 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf' with { type: 'file' };
import bold from 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf' with { type: 'file' };

export { bold, regular };
