package tray

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"sync"

	_ "embed"
)

// appicon64.png is build/appicon.png box-filtered down to 64 px: small enough to embed,
// large enough for HiDPI trays.
//
//go:embed appicon64.png
var appIconPNG []byte

// Icon is the tray image for one state, in the encodings the platforms want.
type Icon struct {
	PNG []byte // Linux (StatusNotifierItem pixmap) and macOS
	ICO []byte // Windows loads icons with LoadImage(IMAGE_ICON): PNG bytes show blank
	// Template is a black-on-transparent shield for macOS's menu bar, which tints it for
	// light and dark mode.
	Template []byte
	// Badged: the state shows as a coloured dot, which a macOS template image would lose.
	Badged bool
}

// Badge colours: a state the user should notice at a glance, also without colour vision
// (the tooltip and the first menu line say it in words).
var badgeColours = map[State]color.NRGBA{
	StateSyncing:   {R: 0x16, G: 0xa3, B: 0x4a, A: 0xff}, // green: working
	StateAttention: {R: 0xf5, G: 0x9e, B: 0x0b, A: 0xff}, // amber: look at me
}

var (
	iconsOnce sync.Once
	icons     map[State]Icon
	iconsErr  error
)

// Icons returns the icon of every state, drawn once.
func Icons() (map[State]Icon, error) {
	iconsOnce.Do(func() { icons, iconsErr = drawIcons() })
	return icons, iconsErr
}

func drawIcons() (map[State]Icon, error) {
	base, err := png.Decode(bytes.NewReader(appIconPNG))
	if err != nil {
		return nil, err
	}
	template, err := encodePNG(templateOf(base))
	if err != nil {
		return nil, err
	}
	out := map[State]Icon{}
	for _, st := range []State{StateIdle, StateSyncing, StateAttention} {
		img := image.NewNRGBA(base.Bounds())
		draw.Draw(img, img.Bounds(), base, image.Point{}, draw.Src)
		c, badged := badgeColours[st]
		if badged {
			drawBadge(img, c)
		}
		p, err := encodePNG(img)
		if err != nil {
			return nil, err
		}
		out[st] = Icon{PNG: p, ICO: icoFromPNG(p, img.Bounds().Dx()), Template: template, Badged: badged}
	}
	return out, nil
}

// drawBadge paints a dot with a white ring in the bottom-right corner, the place trays
// and docks use for status.
func drawBadge(img *image.NRGBA, c color.NRGBA) {
	size := img.Bounds().Dx()
	r := float64(size) * 0.22
	cx, cy := float64(size)-r-1, float64(size)-r-1
	ring := r + float64(size)*0.05
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
			d := dx*dx + dy*dy
			switch {
			case d <= r*r:
				img.SetNRGBA(x, y, c)
			case d <= ring*ring:
				img.SetNRGBA(x, y, color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff})
			}
		}
	}
}

// templateOf keeps the white shield as opaque black and drops everything else.
func templateOf(src image.Image) *image.NRGBA {
	b := src.Bounds()
	out := image.NewNRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(src.At(x, y)).(color.NRGBA)
			light := (int(c.R) + int(c.G) + int(c.B)) / 3
			if c.A > 0 && light > 160 {
				out.SetNRGBA(x, y, color.NRGBA{A: uint8(min(255, (light-160)*255/(255-160)))})
			}
		}
	}
	return out
}

func encodePNG(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// icoFromPNG wraps a PNG in an ICO container (one image, PNG-compressed, which Windows
// has read since Vista).
func icoFromPNG(p []byte, size int) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	_ = binary.Write(&b, le, [3]uint16{0, 1, 1}) // reserved, type icon, one image
	dim := uint8(size)
	if size >= 256 {
		dim = 0
	}
	b.Write([]byte{dim, dim, 0, 0})                         // width, height, palette, reserved
	_ = binary.Write(&b, le, [2]uint16{1, 32})              // planes, bits per pixel
	_ = binary.Write(&b, le, [2]uint32{uint32(len(p)), 22}) // size, offset (6 + 16)
	b.Write(p)
	return b.Bytes()
}
